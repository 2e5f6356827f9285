/**
 * A step met something that clears up by itself (another writer holds a replica for a moment, a
 * copy is still running): the runtime runs the step again after `delayMs` without counting it as a
 * failure (no retry is used up, nothing is logged as an error).
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';

  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}
