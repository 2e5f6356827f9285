/**
 * The answer to a request under `/api/portal/`: the page (for `portal/` and the console's own
 * routes) or a file, with its media type and caching. The build names scripts and styles after their
 * content (`assets/index-<hash>.js`), so they are kept for a year; the page is revalidated each time.
 */
import type { HttpResponseInit } from '@azure/functions';
import type { PortalFiles } from './portalFiles.js';
import { portalRequestOf } from './portalRequest.js';

/** The page may load its own scripts, styles and images and call its own origin, nothing else. */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const YEAR_SECONDS = 365 * 24 * 3600;

export async function portalResponse(files: PortalFiles, routePath: string | undefined): Promise<HttpResponseInit> {
  const request = portalRequestOf(routePath);
  if (request.kind === 'page') {
    const page = await files.page();
    return {
      status: 200,
      body: page.bytes,
      headers: {
        'content-type': page.contentType,
        'cache-control': 'no-cache',
        'content-security-policy': PAGE_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
    };
  }
  const file = await files.file(request.relativePath);
  const hashed = request.relativePath.startsWith('assets/');
  return {
    status: 200,
    body: file.bytes,
    headers: {
      'content-type': file.contentType,
      'cache-control': hashed ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  };
}
