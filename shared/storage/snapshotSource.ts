/**
 * A blob snapshot as the source of a disk copy at a site (`SnapshotSource`): its plain URL, and on
 * demand a read-only SAS for that one snapshot, valid for an hour, made here and never kept,
 * returned or logged. The source client must hold the account's Shared Key to make the SAS.
 */
import { BlobSASPermissions, type BlobClient, type BlobServiceClient } from '@azure/storage-blob';
import type { SnapshotSource } from '../site/types.js';

const SAS_LIFETIME_MS = 60 * 60 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** True when both clients address the same storage account at the same endpoint. */
export function sameAccount(a: BlobServiceClient, b: BlobServiceClient): boolean {
  return a.accountName === b.accountName && new URL(a.url).origin === new URL(b.url).origin;
}

/**
 * The URL the destination account reads a snapshot from: the plain URL in the same account, else the
 * URL with a read-only SAS.
 */
export async function copySourceUrl(source: BlobClient, sourceAccount: BlobServiceClient, destinationAccount: BlobServiceClient, now = new Date()): Promise<string> {
  return sameAccount(sourceAccount, destinationAccount) ? source.url : readSasUrl(source, now);
}

/** The blob's URL with a read-only SAS valid for an hour. */
export function readSasUrl(blob: BlobClient, now = new Date()): Promise<string> {
  return blob.generateSasUrl({
    permissions: BlobSASPermissions.parse('r'),
    startsOn: new Date(now.getTime() - CLOCK_SKEW_MS),
    expiresOn: new Date(now.getTime() + SAS_LIFETIME_MS),
  });
}

/** The snapshot `snapshot` of `container/blobName` in `account`, as a copy source. */
export function snapshotSource(account: BlobServiceClient, at: { container: string; blobName: string; snapshot: string }): SnapshotSource {
  const blob = account.getContainerClient(at.container).getBlobClient(at.blobName).withSnapshot(at.snapshot);
  return { url: blob.url, sasUrl: () => readSasUrl(blob) };
}
