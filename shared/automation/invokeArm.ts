/**
 * Runs an ARM request in process through the function that serves it over HTTP: the same
 * validation, admission and job creation, with `requestId` as `x-ms-client-request-id`.
 */
import functions, { type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { ArmRouter } from './armRouter.js';

export interface ArmRequestSpec {
  method: string;
  /** From `/subscriptions/`, optionally with a query. */
  path: string;
  apiVersion: string;
  body?: unknown;
  requestId: string;
}

export interface ArmAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** The answer, or `undefined` when no function serves the method and path. */
export async function invokeArm(router: ArmRouter, publicUrl: string, spec: ArmRequestSpec, context: InvocationContext): Promise<ArmAnswer | undefined> {
  const url = new URL(`${publicUrl}${spec.path}`);
  const route = router.find(spec.method, url.pathname.slice(new URL(publicUrl).pathname.length));
  if (!route) return undefined;
  url.searchParams.set('api-version', spec.apiVersion);
  const request = new functions.HttpRequest({
    method: spec.method,
    url: url.toString(),
    headers: { 'x-ms-client-request-id': spec.requestId, 'x-ms-correlation-request-id': spec.requestId, 'content-type': 'application/json' },
    params: route.params,
    ...(spec.body === undefined ? {} : { body: { string: JSON.stringify(spec.body) } }),
  });
  const response: HttpResponseInit = await route.fn.handler(request, context);
  const headers: Record<string, string> = {};
  new Headers(response.headers).forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  delete headers['content-type'];
  let body: unknown = response.jsonBody;
  if (body === undefined && typeof response.body === 'string' && response.body !== '') {
    try {
      body = JSON.parse(response.body) as unknown;
    } catch {
      body = response.body;
    }
  }
  return { status: response.status ?? 200, headers, ...(body === undefined ? {} : { body }) };
}
