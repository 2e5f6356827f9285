/**
 * The blobs a recovery point owns — each disk's replica snapshot and manifest — and their deletion,
 * many points at a time, in blob batches (one per blob service, up to 256 deletes a request). A
 * blob already gone is fine.
 *
 * A snapshot's sub-request names its snapshot unencoded (`?snapshot=2026-12-04T02:31:14.7740000Z`,
 * as the REST reference writes it): Azurite matches a batched sub-request's query as sent, so an
 * encoded one finds no snapshot there, and Azure takes either.
 */
import type { BlobClient, BlobServiceClient } from '@azure/storage-blob';
import { BLOB_BATCH_LIMIT } from '../storage/blobBatch.js';
import type { RecoveryPoint } from './recoveryPoint.js';

export interface PointBlobs {
  /** Every blob of a point. */
  of(point: RecoveryPoint): BlobClient[];
  /** Deletes every blob of the points. */
  deleteAll(points: readonly RecoveryPoint[]): Promise<void>;
}

/** A snapshot's URL with its snapshot time as the REST reference writes it (see the module comment). */
function snapshotUrl(blob: BlobClient, snapshot: string): string {
  return `${blob.url}${blob.url.includes('?') ? '&' : '?'}snapshot=${snapshot}`;
}

/** Deletes blobs (URLs) of one blob service in batches; gone is fine, any other failure throws naming `what`. */
async function deleteInBatches(service: BlobServiceClient, urls: readonly string[], what: string): Promise<void> {
  for (let i = 0; i < urls.length; i += BLOB_BATCH_LIMIT) {
    const response = await service.getBlobBatchClient().deleteBlobs(urls.slice(i, i + BLOB_BATCH_LIMIT), service.credential);
    const failed = response.subResponses.find((sub) => sub.status >= 300 && sub.status !== 404);
    if (failed) throw new Error(`Deleting recovery point ${what} failed: ${failed.status} ${failed.errorCode ?? failed.statusMessage}.`);
  }
}

/** The point blobs, where `blobsFor` says each point's blobs live. */
export function pointBlobs(blobsFor: (point: RecoveryPoint) => BlobServiceClient): PointBlobs {
  const replicaOf = (point: RecoveryPoint, disk: RecoveryPoint['disks'][number]): BlobClient => blobsFor(point).getContainerClient(disk.container).getBlobClient(disk.replicaBlob);
  const snapshotsOf = (point: RecoveryPoint): BlobClient[] => point.disks.map((disk) => replicaOf(point, disk).withSnapshot(disk.snapshot));
  const manifestsOf = (point: RecoveryPoint): BlobClient[] => point.disks.map((disk) => blobsFor(point).getContainerClient(disk.container).getBlobClient(disk.manifestBlob));
  return {
    of: (point) => [...snapshotsOf(point), ...manifestsOf(point)],
    async deleteAll(points) {
      const byService = new Map<BlobServiceClient, { snapshots: string[]; manifests: string[] }>();
      for (const point of points) {
        const service = blobsFor(point);
        let urls = byService.get(service);
        if (!urls) byService.set(service, (urls = { snapshots: [], manifests: [] }));
        for (const disk of point.disks) if (disk.snapshot) urls.snapshots.push(snapshotUrl(replicaOf(point, disk), disk.snapshot));
        urls.manifests.push(...manifestsOf(point).map((blob) => blob.url));
      }
      for (const [service, urls] of byService) {
        await deleteInBatches(service, urls.snapshots, 'snapshots');
        await deleteInBatches(service, urls.manifests, 'manifests');
      }
    },
  };
}
