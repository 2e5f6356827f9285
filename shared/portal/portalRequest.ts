/**
 * What a request under `/api/portal/` asks for: one of the console's files (a path whose last
 * segment ends in an extension the console's files have: `.js`, `.css`, `.html`, `.svg`…) or else its
 * page (`index.html`, for the console's own routes, which the page resolves itself: an item named
 * `web.01` is a route, not a file). Paths that climb out of the console's folder (`..`, however
 * encoded) are refused. Pure.
 */
import { HttpError } from '../errors/HttpError.js';
import { portalContentType } from './portalContentTypes.js';

/** The page, or a file of the console by its path relative to the console's folder. */
export type PortalRequest = { kind: 'page' } | { kind: 'file'; relativePath: string };

/** A file name the console's build writes: letters, digits, `_`, `-` and dots, not starting with a dot. */
const FILE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Percent-decoding rounds: a path encoded twice (`%252e%252e`) is read as what it finally means. */
const DECODE_ROUNDS = 3;

function invalidPath(): HttpError {
  return new HttpError(400, 'InvalidPath', 'The path is not valid: it must not contain ".." or "." segments, backslashes or control characters.');
}

/** The route value fully percent-decoded; malformed escapes are refused. */
function decoded(routePath: string): string {
  let text = routePath;
  for (let round = 0; round < DECODE_ROUNDS && /%[0-9a-f]{2}/i.test(text); round++) {
    try {
      text = decodeURIComponent(text);
    } catch {
      throw invalidPath();
    }
  }
  return text;
}

/**
 * What the route value `path` of `portal/{*path}` asks for. Throws `HttpError` 400 `InvalidPath`
 * for `..` or `.` segments, backslashes or control characters (also percent-encoded).
 */
export function portalRequestOf(routePath: string | undefined): PortalRequest {
  const text = decoded(routePath ?? '');
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(text)) throw invalidPath();
  const segments = text.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) throw invalidPath();
  const last = segments.at(-1);
  if (last === undefined || portalContentType(last) === undefined) return { kind: 'page' };
  if (!segments.every((segment) => FILE_SEGMENT.test(segment))) {
    throw new HttpError(404, 'NotFound', 'The console has no such file.');
  }
  return { kind: 'file', relativePath: segments.join('/') };
}
