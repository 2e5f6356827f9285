/**
 * The HTTP trigger input the Functions host sends a worker that announced
 * `UseNullableValueDictionaryForHttp` and `RawHttpBodyBytes` (functions-host.md §4).
 */
import type { IncomingMessage } from 'node:http';
import type { RpcHttpData, RpcNullableString } from '../core/types.js';

function nullable(entries: Iterable<[string, string]>, lowerCaseKeys: boolean): Record<string, RpcNullableString> {
  const joined = new Map<string, string>();
  for (const [rawKey, value] of entries) {
    const key = lowerCaseKeys ? rawKey.toLowerCase() : rawKey;
    const previous = joined.get(key);
    joined.set(key, previous === undefined ? value : `${previous},${value}`);
  }
  return Object.fromEntries([...joined].map(([k, v]) => [k, { value: v }]));
}

function headerEntries(req: IncomingMessage): [string, string][] {
  const entries: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const value = req.rawHeaders[i + 1] as string;
    // The worker announces IgnoreEmptyValuedRpcHttpHeaders: the host drops headers without a value.
    if (value !== '') entries.push([req.rawHeaders[i] as string, value]);
  }
  return entries;
}

/** Builds `{http: …}` for a request whose path matched with `params` and whose body was read. */
export function toRpcHttpInput(req: IncomingMessage, url: URL, params: Record<string, string>, body: Buffer): { http: RpcHttpData } {
  const http: RpcHttpData = {
    method: req.method ?? 'GET',
    url: url.href,
    nullableHeaders: nullable(headerEntries(req), true),
    nullableQuery: nullable(url.searchParams.entries(), false),
    nullableParams: nullable(Object.entries(params), false),
  };
  if (body.length > 0) http.body = { bytes: body };
  return { http };
}
