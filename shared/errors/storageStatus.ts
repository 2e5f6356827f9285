/** Reading storage errors: the HTTP status and service error code of a failed storage call. */

interface StorageErrorLike {
  statusCode?: unknown;
  code?: unknown;
}

const asLike = (error: unknown): StorageErrorLike | undefined => (typeof error === 'object' && error !== null ? error : undefined);

/** HTTP status of a storage error (`RestError` and its look-alikes), or `undefined` for anything else. */
export function statusOf(error: unknown): number | undefined {
  const status = asLike(error)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Storage error code (`LeaseIdMismatchWithBlobOperation`, …), or `undefined`. */
export function codeOf(error: unknown): string | undefined {
  const code = asLike(error)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether a storage call failed with one of `statuses`. */
export const hasStatus = (error: unknown, ...statuses: number[]): boolean => statuses.includes(statusOf(error) ?? 0);

/** True when a write failed because of a blob lease (missing, mismatched, lost or broken). */
export function isLeaseError(error: unknown): boolean {
  return statusOf(error) === 412 && /lease/i.test(codeOf(error) ?? '');
}
