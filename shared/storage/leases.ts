/** Blob lease helpers shared by the site's workload, checkpoints and fencing, and the replication target. */
import type { PageBlobClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { hasStatus, statusOf } from '../errors/storageStatus.js';

/** A lease id derived from a name, so every instance of the service uses the same one. */
export function leaseIdFor(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes a lease on a blob for `leaseId`, breaking whatever other lease holds it. Gives up after
 * `timeoutMs`.
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
    await breakLease(blob);
  }
}

/** Breaks whatever lease a blob has (none is fine). */
export async function breakLease(blob: Pick<PageBlobClient, 'getBlobLeaseClient'>, tolerate: number[] = [409]): Promise<void> {
  try {
    await blob.getBlobLeaseClient().breakLease(0);
  } catch (error) {
    if (!hasStatus(error, ...tolerate)) throw error;
  }
}

/** Releases a lease, ignoring a lease that is already gone or taken by someone else. */
export async function releaseLease(blob: Pick<PageBlobClient, 'getBlobLeaseClient'>, leaseId: string): Promise<void> {
  try {
    await blob.getBlobLeaseClient(leaseId).releaseLease();
  } catch (error) {
    if (!hasStatus(error, 404, 409, 412)) throw error;
  }
}
