/** Optional details a permanent failure reports in the job's error list. */
export interface PermanentErrorOptions {
  /** Error code shown in the job error (default `JobStepFailed`). */
  code?: string;
  possibleCauses?: string;
  recommendedAction?: string;
  cause?: unknown;
}

/**
 * A job step failure that retrying cannot fix. The job runner marks the job `Failed` with this
 * error's code, message and advice, runs the kind's failure handling (the item reports the failure
 * to its state machine, so a retry is allowed) and deletes the queue message instead of letting it be
 * retried.
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  readonly code: string;
  readonly possibleCauses?: string;
  readonly recommendedAction?: string;

  constructor(message: string, options: PermanentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'JobStepFailed';
    if (options.possibleCauses !== undefined) this.possibleCauses = options.possibleCauses;
    if (options.recommendedAction !== undefined) this.recommendedAction = options.recommendedAction;
  }
}
