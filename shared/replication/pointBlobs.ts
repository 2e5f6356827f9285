/**
 * The blobs a recovery point owns — each disk's replica snapshot and manifest — and their deletion,
 * many points at a time: manifests in blob batches (one per blob service), snapshots one request each,
 * a few at a time (Azurite answers a batched snapshot delete 404 without deleting it, so snapshots
 * are not batched). A blob already gone is fine.
 */
import type { BlobClient, BlobServiceClient } from '@azure/storage-blob';
import { inPool } from '../inPool.js';
import type { RecoveryPoint } from './recoveryPoint.js';

/** Sub-requests one blob batch holds at most. */
const BLOB_BATCH = 256;
/** Snapshot deletes kept in flight. */
const SNAPSHOT_DELETES_IN_FLIGHT = 8;

export interface PointBlobs {
  /** Every blob of a point. */
  of(point: RecoveryPoint): BlobClient[];
  /** Deletes every blob of the points. */
  deleteAll(points: readonly RecoveryPoint[]): Promise<void>;
}

/** The point blobs, where `blobsFor` says each point's blobs live. */
export function pointBlobs(blobsFor: (point: RecoveryPoint) => BlobServiceClient): PointBlobs {
  const snapshotsOf = (point: RecoveryPoint): BlobClient[] =>
    point.disks.map((disk) => blobsFor(point).getContainerClient(disk.container).getBlobClient(disk.replicaBlob).withSnapshot(disk.snapshot));
  const manifestsOf = (point: RecoveryPoint): BlobClient[] => point.disks.map((disk) => blobsFor(point).getContainerClient(disk.container).getBlobClient(disk.manifestBlob));
  return {
    of: (point) => [...snapshotsOf(point), ...manifestsOf(point)],
    async deleteAll(points) {
      await inPool(points.flatMap(snapshotsOf), SNAPSHOT_DELETES_IN_FLIGHT, async (snapshot) => void (await snapshot.deleteIfExists()));
      const byService = new Map<BlobServiceClient, BlobClient[]>();
      for (const point of points) {
        const service = blobsFor(point);
        byService.set(service, [...(byService.get(service) ?? []), ...manifestsOf(point)]);
      }
      for (const [service, blobs] of byService) {
        for (let i = 0; i < blobs.length; i += BLOB_BATCH) {
          const response = await service.getBlobBatchClient().deleteBlobs(blobs.slice(i, i + BLOB_BATCH));
          const failed = response.subResponses.find((sub) => sub.status >= 300 && sub.status !== 404);
          if (failed) throw new Error(`Deleting recovery point manifests failed: ${failed.status} ${failed.errorCode ?? failed.statusMessage}.`);
        }
      }
    },
  };
}
