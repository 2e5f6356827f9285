/**
 * ASP.NET Core route templates as HTTP triggers use them (functions-host.md §5): literal segments,
 * `{name}`, optional `{name?}`, defaults `{name=value}`, catch-all `{*name}`, inline constraints
 * `{name:int}`, `{name:regex(...)}` etc., `{{`/`}}` for literal braces. Matching is
 * case-insensitive on the percent-decoded path; route values are decoded.
 */

export interface CompiledRoute {
  template: string;
  /** The route values when `path` (no leading slash, no query) matches, else undefined. */
  match(path: string): Record<string, string> | undefined;
}

interface Parameter {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: ((value: string) => boolean)[];
}

type Part = { literal: string } | { parameter: Parameter };

const GUID = /^(?:\{[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}\}|\([0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}\)|[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}|[0-9a-f]{32})$/i;
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function splitArguments(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

function numberArgs(name: string, args: string[], count: number): number[] {
  const values = args.map(Number);
  if (values.length !== count || values.some((v) => !Number.isFinite(v))) {
    throw new Error(`Route constraint '${name}' needs ${count} numeric argument(s).`);
  }
  return values;
}

function constraint(spec: string): (value: string) => boolean {
  const open = spec.indexOf('(');
  const name = (open === -1 ? spec : spec.slice(0, open)).toLowerCase();
  const argText = open === -1 ? '' : spec.slice(open + 1, spec.lastIndexOf(')'));
  const args = open === -1 ? [] : splitArguments(argText);
  switch (name) {
    case 'int':
      return (v) => INTEGER.test(v) && Number(v) >= -(2 ** 31) && Number(v) < 2 ** 31;
    case 'long':
      return (v) => INTEGER.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n;
    case 'double':
    case 'float':
    case 'decimal':
      return (v) => NUMBER.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'guid':
      return (v) => GUID.test(v);
    case 'alpha':
      return (v) => /^[a-z]*$/i.test(v);
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'min': {
      const [min] = numberArgs(name, args, 1) as [number];
      return (v) => INTEGER.test(v) && Number(v) >= min;
    }
    case 'max': {
      const [max] = numberArgs(name, args, 1) as [number];
      return (v) => INTEGER.test(v) && Number(v) <= max;
    }
    case 'range': {
      const [min, max] = numberArgs(name, args, 2) as [number, number];
      return (v) => INTEGER.test(v) && Number(v) >= min && Number(v) <= max;
    }
    case 'length': {
      const values = args.map(Number);
      if (values.length === 1) return (v) => v.length === values[0];
      const [min, max] = numberArgs(name, args, 2) as [number, number];
      return (v) => v.length >= min && v.length <= max;
    }
    case 'minlength': {
      const [min] = numberArgs(name, args, 1) as [number];
      return (v) => v.length >= min;
    }
    case 'maxlength': {
      const [max] = numberArgs(name, args, 1) as [number];
      return (v) => v.length <= max;
    }
    case 'regex': {
      const pattern = new RegExp(argText, 'i');
      return (v) => pattern.test(v);
    }
    default:
      throw new Error(`Unknown route constraint '${spec}'.`);
  }
}

/** Parses `[*]name[:c1[:c2(args)…]][?|=default]`, splitting at colons outside parentheses. */
function parseParameter(body: string): Parameter {
  let text = body;
  const catchAll = text.startsWith('*');
  if (catchAll) text = text.replace(/^\*+/, '');
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      pieces.push(current);
      current = '';
    } else current += ch;
  }
  pieces.push(current);
  const defaultOrOptional = (piece: string): { rest: string; defaultValue?: string; optional: boolean } => {
    if (piece.endsWith('?')) return { rest: piece.slice(0, -1), optional: true };
    const eq = piece.lastIndexOf('=');
    if (eq !== -1 && piece.lastIndexOf(')') < eq) return { rest: piece.slice(0, eq), defaultValue: piece.slice(eq + 1), optional: false };
    return { rest: piece, optional: false };
  };
  const last = defaultOrOptional(pieces.pop() as string);
  pieces.push(last.rest);
  const [name, ...constraints] = pieces as [string, ...string[]];
  if (!/^[^{}/?*=:]+$/.test(name)) throw new Error(`Invalid route parameter '{${body}}'.`);
  return {
    name,
    optional: last.optional || catchAll,
    catchAll,
    ...(last.defaultValue !== undefined ? { defaultValue: last.defaultValue } : {}),
    constraints: constraints.map(constraint),
  };
}

function parseSegment(segment: string, template: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < segment.length) {
    const ch = segment[i] as string;
    if (ch === '{' && segment[i + 1] === '{') { literal += '{'; i += 2; continue; }
    if (ch === '}' && segment[i + 1] === '}') { literal += '}'; i += 2; continue; }
    if (ch === '}') throw new Error(`Unbalanced '}' in route template '${template}'.`);
    if (ch === '{') {
      let body = '';
      i++;
      for (;;) {
        if (i >= segment.length) throw new Error(`Unclosed '{' in route template '${template}'.`);
        const c = segment[i] as string;
        if (c === '}' && segment[i + 1] === '}') { body += '}'; i += 2; continue; }
        if (c === '{' && segment[i + 1] === '{') { body += '{'; i += 2; continue; }
        if (c === '}') { i++; break; }
        body += c;
        i++;
      }
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ parameter: parseParameter(body) });
      continue;
    }
    literal += ch;
    i++;
  }
  if (literal) parts.push({ literal });
  return parts;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Percent-decodes each path segment, keeping an encoded `/` (`%2F`) encoded as ASP.NET Core does. */
function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      segment.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
        try {
          return decodeURIComponent(run).replaceAll('/', '%2F');
        } catch {
          return run;
        }
      }),
    )
    .join('/');
}

/** Compiles a route template (without leading slash) into a matcher. */
export function compileRouteTemplate(template: string): CompiledRoute {
  const segments = template.replace(/^[~]?\/+|\/+$/g, '').split('/').filter((s) => s !== '');
  const parameters: Parameter[] = [];
  let pattern = '^';
  segments.forEach((segment, index) => {
    const parts = parseSegment(segment, template);
    const only = parts.length === 1 && 'parameter' in (parts[0] as Part) ? (parts[0] as { parameter: Parameter }).parameter : undefined;
    const separator = index === 0 ? '' : '/';
    if (only?.catchAll) {
      if (index !== segments.length - 1) throw new Error(`A catch-all parameter must be last in route template '${template}'.`);
      parameters.push(only);
      pattern += index === 0 ? '(.*)' : `(?:/(.*))?`;
      return;
    }
    if (only && (only.optional || only.defaultValue !== undefined)) {
      parameters.push(only);
      pattern += index === 0 ? '([^/]+)?' : `(?:/([^/]+))?`;
      return;
    }
    pattern += separator;
    for (const part of parts) {
      if ('literal' in part) pattern += escape(part.literal);
      else {
        if (part.parameter.catchAll) throw new Error(`A catch-all parameter must be a whole segment in '${template}'.`);
        parameters.push(part.parameter);
        pattern += part.parameter.optional ? '([^/]*?)' : '([^/]+?)';
      }
    }
  });
  // `s`: a route value may hold any decoded character, line breaks included (ASP.NET Core's `{*path}` does).
  const regex = new RegExp(`${pattern}/?$`, 'is');
  return {
    template,
    match(path) {
      const found = regex.exec(decodePath(path.replace(/^\/+/, '')));
      if (!found) return undefined;
      const values: Record<string, string> = {};
      for (const [i, parameter] of parameters.entries()) {
        const raw = found[i + 1];
        const value = raw === undefined || raw === '' ? parameter.defaultValue : raw;
        if (value === undefined) {
          if (!parameter.optional) return undefined;
          continue;
        }
        if (!parameter.constraints.every((check) => check(value))) return undefined;
        values[parameter.name] = value;
      }
      return values;
    },
  };
}
