/**
 * The ARM request being served, for what it starts: its correlation id (`x-ms-correlation-request-id`,
 * the caller's or a new one) becomes the `activityId` of a job it submits, so a job can be traced to
 * the request that started it. Request metadata only (no service is reached through it); outside a
 * request there is none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  /** `x-ms-correlation-request-id` of the request (the caller's, else one made for it). */
  correlationId: string;
  /** `x-ms-request-id` the response carries. */
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` as part of the request `context`. */
export function withinRequest<T>(context: RequestContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work);
}

/** The request being served, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

/** The caller's correlation id when it is a plausible id (letters, digits, dashes), else `undefined`. */
export function correlationIdOf(headers: { get(name: string): string | null }): string | undefined {
  const value = headers.get('x-ms-correlation-request-id');
  return value && ID.test(value) ? value : undefined;
}
