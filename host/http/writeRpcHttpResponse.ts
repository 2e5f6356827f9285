/**
 * Writes the RPC HTTP response a function returned (`{http:{statusCode, headers, cookies, body}}`)
 * to a node:http response; no response (undefined/null) is 204, as in the Functions host.
 */
import type { ServerResponse } from 'node:http';
import type { RpcHttpData, RpcTypedData } from '../core/types.js';

interface RpcCookie {
  name?: string;
  value?: string;
  domain?: { value?: string } | null;
  path?: { value?: string } | null;
  expires?: { value?: { seconds?: number | string; nanos?: number } } | null;
  secure?: { value?: boolean } | null;
  httpOnly?: { value?: boolean } | null;
  sameSite?: string;
  maxAge?: { value?: number } | null;
}

function bodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  if (body.stream) return Buffer.from(body.stream);
  if (typeof body.string === 'string') return Buffer.from(body.string, 'utf8');
  if (typeof body.json === 'string') return Buffer.from(body.json, 'utf8');
  if (typeof body.int === 'number') return Buffer.from(String(body.int));
  if (typeof body.double === 'number') return Buffer.from(String(body.double));
  return Buffer.alloc(0);
}

function setCookie(cookie: RpcCookie): string {
  let text = `${cookie.name ?? ''}=${cookie.value ?? ''}`;
  if (cookie.domain?.value) text += `; Domain=${cookie.domain.value}`;
  if (cookie.path?.value) text += `; Path=${cookie.path.value}`;
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined) text += `; Expires=${new Date(Number(seconds) * 1000).toUTCString()}`;
  if (cookie.maxAge?.value !== undefined && cookie.maxAge.value !== null) text += `; Max-Age=${cookie.maxAge.value}`;
  if (cookie.secure?.value) text += '; Secure';
  if (cookie.httpOnly?.value) text += '; HttpOnly';
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None' }[cookie.sameSite ?? ''];
  if (sameSite) text += `; SameSite=${sameSite}`;
  return text;
}

/** Sends `result` (an RpcTypedData holding `http`, or nothing) as the response. */
export function writeRpcHttpResponse(res: ServerResponse, result: RpcTypedData | null | undefined, extraHeaders: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
  const http: RpcHttpData | null | undefined = result?.http;
  if (!http) {
    res.writeHead(204).end();
    return;
  }
  const status = http.statusCode ? Number.parseInt(http.statusCode, 10) : 200;
  for (const [name, value] of Object.entries(http.headers ?? {})) res.setHeader(name, value);
  const cookies = ((http.cookies ?? []) as RpcCookie[]).map(setCookie);
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  const body = bodyBytes(http.body);
  const noBody = status === 204 || status === 304 || (status >= 100 && status < 200);
  if (!noBody) res.setHeader('content-length', body.length);
  res.writeHead(Number.isFinite(status) ? status : 200);
  res.end(noBody ? undefined : body);
}
