/**
 * Server-side copies of snapshots into the site's VM disks (Copy Blob). A snapshot in the site's own
 * storage account is read under the request's Shared Key; one elsewhere through its source's
 * short-lived read-only SAS, which is never kept, returned or logged.
 */
import type { BlobServiceClient, PageBlobClient } from '@azure/storage-blob';
import { codeOf, statusOf } from '../../errors/storageStatus.js';
import type { SnapshotSource } from '../types.js';

/** Where a copy stands, as the destination blob reports it. */
export interface DiskCopyStatus {
  state: 'pending' | 'success' | 'failed';
  bytesCopied: number;
  bytesTotal: number;
  /** The destination blob's size (0 when missing). */
  sizeBytes: number;
  /** Why it failed (the service's description, or what is missing). */
  error?: string;
}

/** Whether `url` addresses a blob of the storage account `account` (at the same endpoint). */
export function inAccount(url: string, account: BlobServiceClient): boolean {
  const base = account.url.endsWith('/') ? account.url : `${account.url}/`;
  return url.startsWith(base);
}

/** Reads the copy status of a disk blob created by `startDiskCopy`. */
export async function readDiskCopy(blob: PageBlobClient): Promise<DiskCopyStatus> {
  let properties;
  try {
    properties = await blob.getProperties();
  } catch (error) {
    if (statusOf(error) === 404) return { state: 'failed', bytesCopied: 0, bytesTotal: 0, sizeBytes: 0, error: `Disk blob '${blob.name}' is missing.` };
    throw error;
  }
  const [copied, total] = (properties.copyProgress ?? '0/0').split('/').map(Number);
  const bytesCopied = copied ?? 0;
  const bytesTotal = total ?? 0;
  const sizeBytes = properties.contentLength ?? 0;
  switch (properties.copyStatus) {
    case 'success':
      return { state: 'success', bytesCopied, bytesTotal, sizeBytes };
    case 'pending':
      return { state: 'pending', bytesCopied, bytesTotal, sizeBytes };
    case 'failed':
    case 'aborted':
      return { state: 'failed', bytesCopied, bytesTotal, sizeBytes, error: `Copy of disk blob '${blob.name}' ${properties.copyStatus}: ${properties.copyStatusDescription ?? 'no reason given'}.` };
    default:
      return { state: 'failed', bytesCopied, bytesTotal, sizeBytes, error: `Disk blob '${blob.name}' was not created by a copy.` };
  }
}

/**
 * Starts copying a snapshot into `destination` unless a copy there is already pending or done
 * (so a repeated or concurrent call starts nothing); true when this call started one. Errors carry
 * the status and code only, never the source URL.
 */
export async function startDiskCopy(destination: PageBlobClient, destinationAccount: BlobServiceClient, source: SnapshotSource, metadata: Record<string, string>): Promise<boolean> {
  const current = await readDiskCopy(destination);
  if (current.state !== 'failed') return false;
  const url = inAccount(source.url, destinationAccount) ? source.url : await source.sasUrl();
  try {
    // Starts the copy and returns; the poller (whose state holds the source URL) is dropped unread.
    await destination.beginCopyFromURL(url, { metadata });
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    const code = codeOf(error) ?? 'unknown';
    if (code === 'PendingCopyOperation') return false;
    // The SDK's error carries the source URL (and its SAS): it is not kept as the cause.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`Copy into disk blob '${destination.name}' refused: HTTP ${status} ${code}.`);
  }
}
