/**
 * Server-side copies of page blob snapshots into VM disks (Copy Blob). A source in the destination's
 * own account is read under the request's Shared Key; a source in another account through a read-only
 * SAS for that one snapshot, valid for an hour, made here and never kept, returned or logged.
 */
import { BlobSASPermissions, type BlobClient, type BlobServiceClient, type PageBlobClient } from '@azure/storage-blob';
import { statusOf } from './leases.js';

const SAS_LIFETIME_MS = 60 * 60 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

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

/** True when both clients address the same storage account at the same endpoint. */
export function sameAccount(a: BlobServiceClient, b: BlobServiceClient): boolean {
  return a.accountName === b.accountName && new URL(a.url).origin === new URL(b.url).origin;
}

/**
 * The URL the destination account reads a snapshot from: the plain URL in the same account, else the
 * URL with a read-only SAS (the source client must hold the account's Shared Key).
 */
export async function copySourceUrl(source: BlobClient, sourceAccount: BlobServiceClient, destinationAccount: BlobServiceClient, now = new Date()): Promise<string> {
  if (sameAccount(sourceAccount, destinationAccount)) return source.url;
  return source.generateSasUrl({
    permissions: BlobSASPermissions.parse('r'),
    startsOn: new Date(now.getTime() - CLOCK_SKEW_MS),
    expiresOn: new Date(now.getTime() + SAS_LIFETIME_MS),
  });
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
 * (so a repeated or concurrent call starts nothing). Errors carry the status and code only, never
 * the source URL.
 */
export async function startDiskCopy(
  destination: PageBlobClient,
  destinationAccount: BlobServiceClient,
  source: BlobClient,
  sourceAccount: BlobServiceClient,
  metadata: Record<string, string>,
): Promise<void> {
  const current = await readDiskCopy(destination);
  if (current.state !== 'failed') return;
  try {
    // Starts the copy and returns; the poller (whose state holds the source URL) is dropped unread.
    await destination.beginCopyFromURL(await copySourceUrl(source, sourceAccount, destinationAccount), { metadata });
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined) throw error;
    const code = (error as { code?: string }).code ?? 'unknown';
    if (code === 'PendingCopyOperation') return;
    throw new Error(`Copy into disk blob '${destination.name}' refused: HTTP ${status} ${code}.`);
  }
}
