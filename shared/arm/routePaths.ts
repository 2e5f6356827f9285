/**
 * The OpenAPI paths of a Functions route template (`routeTemplate.ts` is how the host matches
 * them): each optional trailing segment left out in turn, so `…/replicationFabrics/{fabricName?}`
 * is the collection and the item, and every parameter written `{name}` (no `?`, `:constraint` or
 * `=default`). A catch-all (`{*path}`) has no OpenAPI form. Pure.
 */

/** One path of a route: `/subscriptions/{subscriptionId}/…`, and its path parameters in order. */
export interface RoutePath {
  path: string;
  parameters: string[];
}

interface Segment {
  text: string;
  parameters: string[];
  optional: boolean;
}

/** `{name}`, `{name?}`, `{name=default}`, `{name:constraint(args)}`, `{*name}`. */
const PARAMETER = /\{(\*?)([^{}:?=*]+)(?::[^{}?=]*)?(\?|=[^{}]*)?\}/g;

function parseSegment(segment: string, template: string): Segment {
  const parameters: string[] = [];
  let optional = false;
  const text = segment.replace(PARAMETER, (whole: string, catchAll: string, name: string, suffix: string | undefined) => {
    if (catchAll) throw new RangeError(`The route '${template}' has a catch-all parameter, which no OpenAPI path can express.`);
    parameters.push(name);
    optional = whole === segment && suffix !== undefined;
    return `{${name}}`;
  });
  return { text, parameters, optional };
}

/** The paths of a route: with every segment, and each shorter one an optional segment allows, shortest first. */
export interface RouteShape {
  full: RoutePath;
  shorter: RoutePath[];
}

export function routePaths(template: string): RouteShape {
  const segments = template
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => parseSegment(segment, template));
  const pathOf = (count: number): RoutePath => {
    const kept = segments.slice(0, count);
    return { path: `/${kept.map((segment) => segment.text).join('/')}`, parameters: kept.flatMap((segment) => segment.parameters) };
  };
  return { full: pathOf(segments.length), shorter: segments.flatMap((segment, index) => (segment.optional ? [pathOf(index)] : [])) };
}

/** `path` with its last segment, a parameter, given as the literal `value` (an action's name). */
export function withLastSegment(path: RoutePath, value: string): RoutePath {
  const last = path.parameters.at(-1);
  if (last === undefined || !path.path.endsWith(`/{${last}}`)) throw new RangeError(`The path '${path.path}' does not end in a parameter.`);
  return { path: `${path.path.slice(0, -`{${last}}`.length)}${value}`, parameters: path.parameters.slice(0, -1) };
}
