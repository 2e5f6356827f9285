/**
 * Calls to the service's public ARM API (`/api/subscriptions/…`, the routes the official client
 * uses): `api-version` on every request, the function key in `x-functions-key` (asked for when the
 * service answers 401), lists followed through `nextLink`, errors thrown as `ArmError` with the
 * envelope's code and message.
 */
import { API_BASE } from '../settings.js';
import { ArmError, armErrorOf } from './armError.js';
import { askForKey } from './keyRequests.js';
import { forgetKey, readKey, writeKey } from './keyStore.js';

/** One page of an ARM list. */
export interface ArmList<T> {
  value: T[];
  nextLink?: string;
}

/** What a request sends besides its path. */
export interface ArmCall {
  apiVersion: string;
  query?: Record<string, string>;
}

/** The answer to a POST or PATCH: the job of a long-running operation (202), or the body (200). */
export interface ArmAnswer {
  status: number;
  /** The operation's id from `Azure-AsyncOperation` (for this service: the job's name). */
  operationId?: string;
  body?: unknown;
}

/** Pages a list may have before the console stops reading it. */
const MAX_PAGES = 20;

/** The absolute URL of an API path (`/subscriptions/…`) with its query. */
export function apiUrl(path: string, call: ArmCall): URL {
  const url = new URL(API_BASE + path.replace(/^\/+/, ''), location.origin);
  url.searchParams.set('api-version', call.apiVersion);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
  return url;
}

/** The key to try after a 401 with `sent`: one another request was given meanwhile, or the operator's. */
async function keyAfterRefusal(sent: string | undefined): Promise<string | undefined> {
  const kept = readKey();
  if (kept !== undefined && kept !== sent) return kept;
  if (kept !== undefined) forgetKey();
  const entered = await askForKey(sent !== undefined);
  if (entered !== undefined) writeKey(entered);
  return entered;
}

async function send(url: URL, init: RequestInit): Promise<Response> {
  let key = readKey();
  for (;;) {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (key !== undefined) headers.set('x-functions-key', key);
    const response = await fetch(url, { ...init, headers, cache: 'no-store', credentials: 'same-origin', redirect: 'error' });
    if (response.status !== 401) return response;
    key = await keyAfterRefusal(key);
    if (key === undefined) throw new ArmError(401, 'KeyRequired', 'The service requires its function key, and none was given.');
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function call(method: string, url: URL, body?: unknown): Promise<{ response: Response; body: unknown }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await send(url, init);
  const parsed = await bodyOf(response);
  if (!response.ok) throw armErrorOf(response.status, response.statusText, parsed);
  return { response, body: parsed };
}

/** The last path segment of an `Azure-AsyncOperation` URL. */
function operationIdOf(header: string | null): string | undefined {
  if (!header) return undefined;
  try {
    const segments = new URL(header, location.origin).pathname.split('/').filter(Boolean);
    const last = segments.at(-1);
    return last === undefined ? undefined : decodeURIComponent(last);
  } catch {
    return undefined;
  }
}

/** GETs a resource. */
export async function armGet<T>(path: string, request: ArmCall): Promise<T> {
  const { body } = await call('GET', apiUrl(path, request));
  return body as T;
}

/** GETs every page of a list (up to `MAX_PAGES`), following `nextLink` on the page's own origin only. */
export async function armList<T>(path: string, request: ArmCall, maxPages = MAX_PAGES): Promise<T[]> {
  const values: T[] = [];
  let url: URL | undefined = apiUrl(path, request);
  for (let page = 0; url && page < maxPages; page++) {
    const { body } = await call('GET', url);
    const list = body as ArmList<T> | undefined;
    values.push(...(list?.value ?? []));
    const next: URL | undefined = list?.nextLink ? new URL(list.nextLink, location.origin) : undefined;
    if (next && next.origin !== location.origin) throw new ArmError(0, 'ForeignNextLink', `The list's next page is on another site (${next.origin}); it was not read.`);
    url = next;
  }
  return values;
}

/** POSTs to a resource or one of its operations. */
export async function armPost(path: string, request: ArmCall, body?: unknown): Promise<ArmAnswer> {
  const answer = await call('POST', apiUrl(path, request), body);
  const operationId = operationIdOf(answer.response.headers.get('azure-asyncoperation'));
  return { status: answer.response.status, ...(operationId ? { operationId } : {}), body: answer.body };
}

/** PATCHes a resource. */
export async function armPatch(path: string, request: ArmCall, body: unknown): Promise<ArmAnswer> {
  const answer = await call('PATCH', apiUrl(path, request), body);
  const operationId = operationIdOf(answer.response.headers.get('azure-asyncoperation'));
  return { status: answer.response.status, ...(operationId ? { operationId } : {}), body: answer.body };
}
