/**
 * What a log line says about where it comes from, besides its message: the invocation, and where
 * known the vault, item, plan and job it concerns and the ids that tie it to the ARM request that
 * started the work.
 */
export interface LogFields {
  /** The Functions invocation id. */
  invocationId?: string;
  /** The function's name. */
  function?: string;
  /** The vault's name. */
  vault?: string;
  /** The protected item's name. */
  item?: string;
  /** The recovery plan's name. */
  plan?: string;
  jobId?: string;
  /** The correlation id of the ARM request that started the work (a job's `activityId`). */
  activityId?: string;
  /** The ARM request's `x-ms-client-request-id`. */
  clientRequestId?: string;
}
