/**
 * A blob snapshot as the source of a disk copy at a site (`SnapshotSource`): its plain URL, and on
 * demand a read-only SAS for that one snapshot, valid for an hour, made here and never kept,
 * returned or logged. With the account's Shared Key it is a service SAS; with an identity (no key)
 * a user-delegation SAS, signed by a delegation key the account hands that identity.
 */
import { BlobSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential, type BlobClient, type BlobServiceClient, type UserDelegationKey } from '@azure/storage-blob';
import type { SnapshotSource } from '../site/types.js';

const SAS_LIFETIME_MS = 60 * 60 * 1000;
/**
 * The service version a user-delegation SAS is signed for: the newest whose string-to-sign every
 * store we run on computes alike (2025-07-05 added fields Azurite does not sign yet); Azure accepts it.
 */
const DELEGATION_SAS_VERSION = '2024-11-04';
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
  return sameAccount(sourceAccount, destinationAccount) ? source.url : readSasUrl(source, sourceAccount, now);
}

/** A delegation key lives 4 hours and is reused while it outlives a new SAS with margin. */
const DELEGATION_KEY_LIFETIME_MS = 4 * 60 * 60 * 1000;
const delegationKeys = new WeakMap<BlobServiceClient, { key: UserDelegationKey; expiresOn: number }>();

async function delegationKey(account: BlobServiceClient, now: Date): Promise<UserDelegationKey> {
  const cached = delegationKeys.get(account);
  if (cached && cached.expiresOn > now.getTime() + SAS_LIFETIME_MS + CLOCK_SKEW_MS) return cached.key;
  const expiresOn = new Date(now.getTime() + DELEGATION_KEY_LIFETIME_MS);
  const key = await account.getUserDelegationKey(new Date(now.getTime() - CLOCK_SKEW_MS), expiresOn);
  delegationKeys.set(account, { key, expiresOn: expiresOn.getTime() });
  return key;
}

/** The blob's URL with a read-only SAS valid for an hour: a service SAS with the account key, else a user-delegation SAS. */
export async function readSasUrl(blob: BlobClient, account: BlobServiceClient, now = new Date()): Promise<string> {
  const permissions = BlobSASPermissions.parse('r');
  const startsOn = new Date(now.getTime() - CLOCK_SKEW_MS);
  const expiresOn = new Date(now.getTime() + SAS_LIFETIME_MS);
  if (blob.credential instanceof StorageSharedKeyCredential) return blob.generateSasUrl({ permissions, startsOn, expiresOn });
  const snapshot = new URL(blob.url).searchParams.get('snapshot') ?? undefined;
  const sas = generateBlobSASQueryParameters(
    { containerName: blob.containerName, blobName: blob.name, ...(snapshot ? { snapshotTime: snapshot } : {}), permissions, startsOn, expiresOn, version: DELEGATION_SAS_VERSION },
    await delegationKey(account, now),
    account.accountName,
  ).toString();
  return `${blob.url}${blob.url.includes('?') ? '&' : '?'}${sas}`;
}

/** The snapshot `snapshot` of `container/blobName` in `account`, as a copy source. */
export function snapshotSource(account: BlobServiceClient, at: { container: string; blobName: string; snapshot: string }): SnapshotSource {
  const blob = account.getContainerClient(at.container).getBlobClient(at.blobName).withSnapshot(at.snapshot);
  return { url: blob.url, sasUrl: () => readSasUrl(blob, account) };
}
