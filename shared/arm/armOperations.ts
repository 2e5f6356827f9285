/**
 * What an HTTP function says of its operations, for the OpenAPI document (`GET /api/openapi.json`):
 * per method, the body it validates and how it answers. It lives on the registration itself
 * (`ArmFunction.operations`), next to the route it describes, so there is no second list of routes.
 */
import type { HttpMethod } from '@azure/functions';
import type { z } from 'zod';

/**
 * A status an operation answers with when it succeeds: 200 (the resource, or a result), 201 (the
 * resource, created), 202 (a long-running operation: `Azure-AsyncOperation`, `Location`,
 * `Retry-After`), 204 (nothing to do).
 */
export type SuccessStatus = 200 | 201 | 202 | 204;

/** One operation of a route. */
export interface ArmOperation {
  /** What it does, in one line. */
  summary: string;
  /** The schema the handler's domain code validates the body with (`parseInput`); absent: it reads no body. */
  requestBody?: z.ZodType;
  /**
   * What the handler validates in place of a missing body (`parseInput(schema, body ?? {})` → `{}`);
   * the body is optional when `requestBody` accepts that value (or `undefined`, by default).
   */
  missingBodyAs?: unknown;
  /** Its answers when it succeeds (default `[200]`); empty for an operation that is always refused. */
  responses?: readonly SuccessStatus[];
  /** Media types of a 200's body (default `application/json`). */
  produces?: readonly string[];
}

/**
 * Operations dispatched on the route's last segment, a parameter (`…/{item}/{operation}`), by
 * its value as the official client sends it: the document lists each as a path of its own, as
 * ASR's REST spec does (`…/{item}/testFailover`).
 */
export interface ArmActions {
  actions: Readonly<Record<string, ArmOperation>>;
}

/**
 * A route's operations by method. A GET without an entry answers 200 on every path of the route;
 * every other method the function serves must be described.
 */
export type ArmOperations = Partial<Record<HttpMethod, ArmOperation | ArmActions>>;
