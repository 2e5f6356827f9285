/** The recovery site's storage: replica page blobs, their manifests and cycle plans in `recovery-<siteKey>`. */
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { assertSiteKey } from '../site/siteKeyOf.js';
import type { StorageClients } from '../storage/clients.js';
import { createBlobReplicaTarget, type ReplicaTarget } from './replicaTarget.js';

/** The replicas of a recovery site as the service uses them. */
export interface ReplicaSite {
  /** The replicas as the replication engine's target. */
  readonly target: ReplicaTarget;
  /** Creates the site's storage when missing. */
  ensure(): Promise<void>;
  /** Name of the replica page blob of a protected item's disk. */
  replicaBlobName(itemKey: string, diskId: string): string;
  /** URL of a blob of this site (never with a SAS). */
  blobUrl(blobName: string, snapshot?: string): string;
}

/** The replica site on a blob container, with the container itself for checks that read it. */
export interface RecoverySite extends ReplicaSite {
  readonly siteKey: string;
  readonly containerName: string;
  readonly blobs: BlobServiceClient;
  readonly container: ContainerClient;
}

/** Throws a RangeError unless `itemKey` is a URL- and blob-name-safe key. */
export function assertItemKey(itemKey: string): void {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(itemKey)) throw new RangeError(`Invalid item key '${itemKey.slice(0, 50)}': expected 1-100 characters [A-Za-z0-9_-].`);
}

/** Replica blob name of a disk: `replicas/<itemKey>/<diskId>.vhd`. */
export function replicaBlobName(itemKey: string, diskId: string): string {
  assertItemKey(itemKey);
  return `replicas/${itemKey}/${encodeURIComponent(diskId)}.vhd`;
}

export function createRecoverySite(clients: Pick<StorageClients, 'blobs'>, options: { siteKey: string }): RecoverySite {
  assertSiteKey(options.siteKey);
  const containerName = `recovery-${options.siteKey}`;
  const container = clients.blobs.getContainerClient(containerName);
  return {
    siteKey: options.siteKey,
    containerName,
    blobs: clients.blobs,
    container,
    target: createBlobReplicaTarget(container),
    async ensure() {
      await container.createIfNotExists();
    },
    replicaBlobName,
    blobUrl(blobName, snapshot) {
      const client = container.getBlobClient(blobName);
      return snapshot ? client.withSnapshot(snapshot).url : client.url;
    },
  };
}
