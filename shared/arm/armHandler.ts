import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { HttpError } from '../errors/HttpError.js';
import { invocationLogger } from '../logging/invocationLogger.js';
import type { Logger } from '../logging/logger.js';
import { contextFromTraceparent } from '../tracing/traceparent.js';
import { SpanKind, withSpan } from '../tracing/withSpan.js';
import { SpanStatusCode } from '@opentelemetry/api';
import { armLogFields } from './armLogFields.js';
import { correlationIdOf, withinRequest, type RequestContext } from './requestContext.js';
import { API_VERSIONS, checkApiVersion } from './apiVersion.js';
import { toErrorResponse } from './toErrorResponse.js';

/** What an ARM handler sees: the request with its JSON body parsed and its api-version checked. */
export interface ArmRequest {
  /** The original request (its body is already consumed). */
  http: HttpRequest;
  method: string;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: HttpRequest['headers'];
  /** The parsed JSON body; `undefined` when the body is empty. */
  body: unknown;
  /** The checked `api-version`, or `undefined` for handlers that take none. */
  apiVersion: string | undefined;
  /** The request's own base URL up to the route prefix, e.g. `http://127.0.0.1:7071/api`. */
  baseUrl: string;
  /** The invocation's logger with the request's ids and the vault, item or plan its route names. */
  log: Logger;
}

/** Options of `armHandler`. */
export interface ArmHandlerOptions {
  /** Supported api-versions (default: the Site Recovery list); `false` when the route takes none. */
  apiVersions?: readonly string[] | false;
}

/** What `armHandler` makes: an HTTP handler that always answers with a plain response. */
export interface ArmHttpHandler {
  (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit>;
  /** The api-versions it accepts (`false`: the route takes none), as the OpenAPI document lists them. */
  readonly apiVersions: readonly string[] | false;
}

/** A handler of an ARM route. */
export type ArmRouteHandler = (request: ArmRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** The part of a request URL before `/subscriptions/` (or the origin when there is none). */
export function requestBaseUrl(url: URL): string {
  const index = url.pathname.toLowerCase().indexOf('/subscriptions/');
  return index < 0 ? url.origin : url.origin + url.pathname.slice(0, index);
}

async function parseBody(request: HttpRequest): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'InvalidRequestContent', 'The request content is not valid JSON.');
  }
  // Every ARM request body is an object: an array, string, number, boolean or null fits none.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'InvalidRequestContent', `The request content must be a JSON object, not ${Array.isArray(body) ? 'an array' : body === null ? 'null' : `a ${typeof body}`}.`);
  }
  return body;
}

/**
 * Wraps an ARM route handler: checks `api-version`, parses the JSON body (malformed, or not an
 * object → 400 `InvalidRequestContent`), and maps every thrown error to the ARM error envelope. Each
 * request is a server span (continuing the caller's `traceparent`), active while the handler runs,
 * so the jobs it submits continue its trace.
 */
export function armHandler(handler: ArmRouteHandler, options: ArmHandlerOptions = {}): ArmHttpHandler {
  const apiVersions = options.apiVersions ?? API_VERSIONS.siteRecovery;
  const handle = async (http: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const ids: RequestContext = { correlationId: correlationIdOf(http.headers) ?? randomUUID(), requestId: randomUUID() };
    const fields = armLogFields(http, ids);
    const log = invocationLogger(context).with(fields);
    const method = http.method.toUpperCase();
    return withSpan(
      `${method} ${context.functionName}`,
      {
        kind: SpanKind.SERVER,
        parent: contextFromTraceparent(http.headers.get('traceparent')),
        attributes: { 'http.request.method': method, 'url.path': pathOf(http.url), 'faas.invocation_id': context.invocationId, ...fields },
      },
      async (span) => {
        const response = withIds(await withinRequest(ids, () => answer(http, context, log)), ids);
        const status = response.status ?? 200;
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      },
    );
  };
  return Object.assign(handle, { apiVersions });

  async function answer(http: HttpRequest, context: InvocationContext, log: Logger): Promise<HttpResponseInit> {
    try {
      const url = new URL(http.url);
      const apiVersion = apiVersions === false ? undefined : checkApiVersion(http.query.get('api-version'), apiVersions);
      const body = await parseBody(http);
      const request: ArmRequest = {
        http,
        method: http.method.toUpperCase(),
        url,
        params: http.params,
        query: http.query,
        headers: http.headers,
        body,
        apiVersion,
        baseUrl: requestBaseUrl(url),
        log,
      };
      return await handler(request, context);
    } catch (error) {
      return toErrorResponse(error, log);
    }
  }
}

/** The request URL's path (its query may hold a function key). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** The response with ARM's `x-ms-request-id` and `x-ms-correlation-request-id`. */
function withIds(response: HttpResponseInit, ids: RequestContext): HttpResponseInit {
  const headers = new Headers(response.headers);
  headers.set('x-ms-request-id', ids.requestId);
  headers.set('x-ms-correlation-request-id', ids.correlationId);
  return { ...response, headers: Object.fromEntries(headers) };
}
