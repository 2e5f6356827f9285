/**
 * Hostile requests over the ARM surface, as data: which route, which parameter values, method,
 * query, headers and body; and how such a request is sent to a local host with its function key.
 * The arbitraries generate them for `fast-check`; `guaranteedRefusal` says whether the request
 * must be refused whatever the handler (so a test may expect it to change nothing).
 */
import fc from 'fast-check';
import http from 'node:http';
import type { Service } from '../../support/clients.js';

/** The methods the ARM surface is called with. */
export const METHODS = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

/** A route of the ARM API: its template under the `api` prefix and the methods it serves. */
export interface RouteSpec {
  name: string;
  route: string;
  methods: readonly string[];
}

/** A path parameter's value: the real one (naming a resource of the prepared vault) or a hostile one. */
export type ParamValue = { kind: 'real' } | { kind: 'hostile'; raw: string; label: string; refused: boolean };

export type BodyKind = 'none' | 'json' | 'notJson' | 'topLevelNonObject' | 'propertiesWrongType' | 'huge' | 'deepArray' | 'deepObject';

/** One generated request. */
export interface HostileRequest {
  route: RouteSpec;
  params: Record<string, ParamValue>;
  method: Method;
  apiVersion: { kind: 'right' } | { kind: 'missing' } | { kind: 'wrong'; value: string } | { kind: 'duplicated'; second: string };
  body: { kind: BodyKind; text?: string; json?: unknown };
  contentType: string | undefined;
  /** Extra query parameters, repeated as given (e.g. `$filter` twice). */
  extraQuery: Array<[string, string]>;
}

/** The parameters of a route template, in order, with whether each is optional or a catch-all. */
export function templateParams(route: string): Array<{ name: string; optional: boolean; catchAll: boolean }> {
  return [...route.matchAll(/\{(\*?)([A-Za-z]+)(\??)\}/g)].map((m) => ({ name: m[2] ?? '', optional: m[3] === '?', catchAll: m[1] === '*' }));
}

const NAME = /^[A-Za-z0-9_.-]{1,90}$/;

/** Whether the service must refuse `decoded` as a resource name (the rule of `validateName`). */
function refusedName(decoded: string): boolean {
  return !NAME.test(decoded);
}

function decodedOrRaw(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const hostile = (raw: string, label: string, refused = refusedName(decodedOrRaw(raw))): ParamValue => ({ kind: 'hostile', raw, label, refused });

/** Hostile path segments, already in the form they take in the URL. */
export const hostileParam: fc.Arbitrary<ParamValue> = fc.oneof(
  fc.constantFrom(
    // `.` and `..` are resolved away by URL parsing: they change the path rather than name a resource.
    hostile('..', 'dot-dot', false),
    hostile('.', 'dot', false),
    hostile('%2e%2e', 'encoded dot-dot', false),
    hostile('a%2Fb', 'encoded slash'),
    hostile('%2F', 'lone encoded slash'),
    hostile('..%2F..%2F..', 'encoded traversal'),
    hostile('a%5Cb', 'encoded backslash'),
    hostile('a%00b', 'NUL'),
    hostile('%0D%0Ax-injected%3A%201', 'CRLF'),
    hostile('%ZZ', 'malformed percent'),
    hostile('%E0%A4%A', 'truncated UTF-8'),
    hostile('%C0%AF', 'overlong UTF-8'),
    hostile('%FF', 'invalid UTF-8'),
    hostile('a%23b', 'encoded hash'),
    hostile('a%3Fb', 'encoded question mark'),
    hostile("a'b", 'quote'),
    hostile('a%22b', 'double quote'),
    hostile('a%20b', 'space'),
    hostile('%3Cscript%3E', 'markup'),
    hostile('a%25b', 'encoded percent'),
    hostile('a;b', 'semicolon'),
    hostile('a:b', 'colon'),
    hostile('a*b', 'asterisk'),
    hostile('PartitionKey%20eq%20%27x%27', 'filter injection'),
    hostile('', 'empty'),
  ),
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.'), minLength: 91, maxLength: 1200 }).map((s) => hostile(s, `too long (${s.length})`, true)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => refusedName(s)).map((s) => hostile(encodeURIComponent(s), `unicode ${JSON.stringify(s)}`, true)),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 12 }).filter((s) => refusedName(s)).map((s) => hostile(encodeURIComponent(s), `ascii ${JSON.stringify(s)}`, true)),
);

const MiB = 1024 * 1024;
const HUGE = `{"properties":{"description":"${'x'.repeat(3 * MiB)}"},"tags":[${Array.from({ length: 20_000 }, (_, i) => i).join(',')}]}`;
const DEEP_ARRAY = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const DEEP_OBJECT = `{"properties":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;

export const body: fc.Arbitrary<HostileRequest['body']> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: fc.json({ maxDepth: 4 }).map((text) => ({ kind: 'json' as const, text })) },
  { weight: 2, arbitrary: fc.constantFrom('{"properties": {', '{"a":1}}', "{'a':1}", 'null null', '\u0000\u0001', '<xml/>', 'properties=1&x=2', '\uFEFF{"a":', '{"a":1,}', 'NaN', '{"__proto__":').map((text) => ({ kind: 'notJson' as const, text })) },
  { weight: 2, arbitrary: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.integer(), fc.string(), fc.boolean(), fc.constant(null)).map((json) => ({ kind: 'topLevelNonObject' as const, text: JSON.stringify(json) })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ properties: fc.oneof(fc.integer(), fc.string(), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.boolean()), extra: fc.jsonValue({ maxDepth: 2 }) })
      .map((json) => ({ kind: 'propertiesWrongType' as const, text: JSON.stringify(json) })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const, text: HUGE }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'deepArray' as const, text: DEEP_ARRAY }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'deepObject' as const, text: DEEP_OBJECT }) },
);

const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', ';;;', 'application/json; charset=latin-7');

const wrongApiVersion = fc.oneof(
  fc.constantFrom('', '1999-01-01', '2023-06-01-preview', '2023-6-1', 'latest', '2023-06-01 ', ' 2023-06-01', '2023-06-01%00', "2023-06-01'", '9999-99-99', '2021-02-16-preview'),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);

/** A request against `routes`, each parameter real or hostile, with hostile method, api-version, body or headers. */
export function hostileRequest(routes: readonly RouteSpec[]): fc.Arbitrary<HostileRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc.record({
      route: fc.constant(route),
      params: fc.record(
        Object.fromEntries(
          templateParams(route.route).map(({ name }) => [name, fc.oneof({ weight: 3, arbitrary: fc.constant<ParamValue>({ kind: 'real' }) }, { weight: 1, arbitrary: hostileParam })]),
        ),
      ),
      method: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(route.methods as Method[])) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      apiVersion: fc.oneof(
        { weight: 4, arbitrary: fc.constant({ kind: 'right' as const }) },
        { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
        { weight: 1, arbitrary: wrongApiVersion.map((value) => ({ kind: 'wrong' as const, value })) },
        { weight: 1, arbitrary: fc.constantFrom('2023-06-01', '1999-01-01', '').map((second) => ({ kind: 'duplicated' as const, second })) },
      ),
      body,
      contentType,
      extraQuery: fc.array(
        fc.tuple(fc.constantFrom('$filter', '$skipToken', 'startTime', 'endTime', 'code', '$top', 'x'), fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("name eq 'x' or 1 eq 1", "startTime eq '", '%', 'PartitionKey ne \'\''))),
        { maxLength: 3 },
      ),
    }),
  );
}

/** Whether the service must refuse `request` whatever its handler does, so it can change nothing. */
export function guaranteedRefusal(request: HostileRequest): boolean {
  if (request.method === 'GET') return true;
  if (!request.route.methods.includes(request.method)) return true;
  if (Object.values(request.params).some((value) => value.kind === 'hostile' && value.refused)) return true;
  if (request.apiVersion.kind !== 'right') return true;
  // Neither malformed JSON nor JSON that is not an object (an array, string, number…) is an ARM request body.
  return request.body.kind === 'notJson' || request.body.kind === 'deepArray' || request.body.kind === 'topLevelNonObject';
}

/** The api-version a route is served with. */
export function rightApiVersion(route: string): string {
  if (route.includes('Microsoft.DataReplication')) return '2024-09-01';
  if (/^subscriptions\/\{subscriptionId\}\/resourcegroups\/\{resourceGroupName\}$/.test(route)) return '2021-04-01';
  return '2024-04-01';
}

/** The URL path and query of `request`, real parameters taken from `real`. */
export function requestTarget(request: HostileRequest, real: (param: string) => string): string {
  let path = request.route.route;
  for (const { name } of templateParams(request.route.route)) {
    const value = request.params[name] ?? { kind: 'real' };
    const text = value.kind === 'real' ? real(name) : value.raw;
    path = path.replace(new RegExp(`\\{\\*?${name}\\??\\}`), text);
  }
  const query: string[] = [];
  const right = rightApiVersion(request.route.route);
  const version = request.apiVersion;
  if (version.kind === 'right') query.push(`api-version=${right}`);
  else if (version.kind === 'wrong') query.push(`api-version=${encodeURIComponent(version.value)}`);
  else if (version.kind === 'duplicated') query.push(`api-version=${right}`, `api-version=${encodeURIComponent(version.second)}`);
  for (const [key, value] of request.extraQuery) query.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return `/${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** What came back. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Sends `request` to the host with its function key over loopback, the path exactly as given
 * (node:http: `fetch` would resolve dot segments and refuses a GET with a body).
 */
export function sendHostile(service: Service, target: string, request: HostileRequest): Promise<RawResponse> {
  const headers: Record<string, string> = { 'x-functions-key': service.functionKey };
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  const text = request.body.kind === 'none' ? undefined : request.body.text;
  const bytes = text === undefined ? undefined : Buffer.from(text, 'utf8');
  if (bytes) headers['content-length'] = String(bytes.length);
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port: service.port, method: request.method, path: `/api${target}`, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') }));
      incoming.once('error', reject);
    });
    outgoing.once('error', reject);
    outgoing.end(bytes);
  });
}

/** A short description of `request` for failure messages. */
export function describeRequest(request: HostileRequest, target: string): string {
  const hostileParams = Object.entries(request.params).flatMap(([name, value]) => (value.kind === 'hostile' ? [`${name}=${value.label}`] : []));
  return `${request.method} ${target.length > 300 ? `${target.slice(0, 300)}…` : target} [route ${request.route.name}; body ${request.body.kind}${request.body.text && request.body.text.length < 200 ? ` ${request.body.text}` : ''}; content-type ${String(request.contentType)}; hostile ${hostileParams.join(', ') || 'none'}]`;
}
