/** Blob lease helpers shared by the site's workload, checkpoints and fencing. */
import { RestError, type PageBlobClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';

/** A lease id derived from a name, so every instance of the service uses the same one. */
export function leaseIdFor(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** HTTP status of a storage error, or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : (error as { statusCode?: number } | undefined)?.statusCode;
}

/** Storage error code (`LeaseIdMismatchWithBlobOperation`, …) or undefined. */
export function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/** True when a write failed because of a blob lease (missing, mismatched, lost or broken). */
export function isLeaseError(error: unknown): boolean {
  return statusOf(error) === 412 && /lease/i.test(codeOf(error) ?? '');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes a lease on a blob for `leaseId`, breaking whatever other lease holds it unless that is one of
 * `respect` (then it waits). Gives up after `timeoutMs`.
 */
export async function takeLease(blob: PageBlobClient, leaseId: string, durationSeconds: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await blob.getBlobLeaseClient(leaseId).acquireLease(durationSeconds);
      return;
    } catch (error) {
      if (statusOf(error) !== 409 || Date.now() > deadline) throw error;
    }
    try {
      await blob.getBlobLeaseClient().breakLease(0);
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
  }
}

/** Releases a lease, ignoring a lease that is already gone or taken by someone else. */
export async function releaseLease(blob: PageBlobClient, leaseId: string): Promise<void> {
  try {
    await blob.getBlobLeaseClient(leaseId).releaseLease();
  } catch (error) {
    if (![404, 409, 412].includes(statusOf(error) ?? 0)) throw error;
  }
}
