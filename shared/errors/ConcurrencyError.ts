/** Why a conditional write lost: the row already existed, changed since it was read, or is gone. */
export type ConcurrencyReason = 'exists' | 'changed' | 'missing';

/**
 * A conditional Table write lost a race (409 on create, 412 on an ETag mismatch, 404 on a row
 * deleted meanwhile). Callers re-read and retry, drop a duplicate message, or answer 409; one that
 * reaches a queue function is retried by the queue like any transient failure.
 */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';

  constructor(
    readonly reason: ConcurrencyReason,
    message: string,
  ) {
    super(message);
  }
}
