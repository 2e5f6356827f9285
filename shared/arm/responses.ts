import type { HttpResponseInit } from '@azure/functions';
import type { ArmRequest } from './armHandler.js';

/** Query parameter that carries a list's continuation token in `nextLink`. */
export const SKIP_TOKEN = '$skiptoken';

/** 200 with the resource as JSON. */
export function ok(resource: unknown): HttpResponseInit {
  return { status: 200, jsonBody: resource };
}

/** 201 with the created resource as JSON. */
export function created(resource: unknown): HttpResponseInit {
  return { status: 201, jsonBody: resource };
}

/** 204 without a body. */
export function noContent(): HttpResponseInit {
  return { status: 204 };
}

/** Where a long-running operation is watched and where its result is read. */
export interface AcceptedOperation {
  /** Path (from `/subscriptions/…`) of the operation-status resource. */
  statusPath: string;
  /** Path of the resource the client GETs once the operation has succeeded. */
  locationPath: string;
  /** Seconds the client waits between polls (default 1). */
  retryAfterSeconds?: number;
}

/** Absolute URL of a path on this API, with the request's own host and api-version. */
export function absoluteUrl(request: ArmRequest, path: string): string {
  const url = new URL(request.baseUrl + path);
  if (request.apiVersion) url.searchParams.set('api-version', request.apiVersion);
  return url.toString();
}

/** 202 with `Location`, `Azure-AsyncOperation` and `Retry-After`, built from the request's own host. */
export function accepted(request: ArmRequest, operation: AcceptedOperation): HttpResponseInit {
  return {
    status: 202,
    headers: {
      Location: absoluteUrl(request, operation.locationPath),
      'Azure-AsyncOperation': absoluteUrl(request, operation.statusPath),
      'Retry-After': String(operation.retryAfterSeconds ?? 1),
    },
  };
}

/** The continuation token a list request carries, if any. */
export function skipToken(request: ArmRequest): string | undefined {
  return request.query.get(SKIP_TOKEN) ?? undefined;
}

/**
 * 200 with one page `{ value, nextLink? }`; `nextLink` is the request's own URL with `$skiptoken`
 * set to the continuation token.
 */
export function listPage(request: ArmRequest, values: unknown[], continuationToken?: string): HttpResponseInit {
  const body: { value: unknown[]; nextLink?: string } = { value: values };
  if (continuationToken) {
    const next = new URL(request.url.toString());
    next.searchParams.set(SKIP_TOKEN, continuationToken);
    body.nextLink = next.toString();
  }
  return { status: 200, jsonBody: body };
}
