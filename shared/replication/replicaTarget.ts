/**
 * Where the replication engine writes: disks (512-byte pages) and, beside them, the files it keeps
 * (cycle plans, chunk hashes, manifests). The recovery site's replicas are one target; after
 * re-protect the original VM's own disks are another, provided by their site.
 *
 * `createBlobReplicaTarget` is the target on a blob container: disks are page blobs, files block
 * blobs, recovery points blob snapshots tagged with the point's id.
 */
import type { ContainerClient, PageBlobClient } from '@azure/storage-blob';
import { hasStatus, statusOf } from '../errors/storageStatus.js';
import { inPool } from '../inPool.js';
import { mergeRanges, type ByteRange } from '../site/byteRanges.js';
import { contentCrc64 } from '../storage/contentCrc64.js';
import { BLOB_BATCH_LIMIT } from '../storage/blobBatch.js';
import { breakLease, releaseLease } from '../storage/leases.js';
import { uploadIfAbsent } from '../storage/uploadIfAbsent.js';

/** What a target disk reports about itself. */
export interface TargetDiskInfo {
  sizeBytes: number;
  /** The cycle whose writes the disk holds in part (set while a cycle writes it). */
  cycleMark?: string;
  /** The recovery point the disk was last restored from (failback), and how that copy stands. */
  restoredFrom?: string;
  copy?: 'pending' | 'success' | 'failed';
}

/** One disk of a target. Writes name the lease that holds the disk. */
export interface TargetDisk {
  readonly name: string;
  /** Creates the disk with `sizeBytes` unless it exists; true when it was created. */
  createIfMissing(sizeBytes: number): Promise<boolean>;
  info(): Promise<TargetDiskInfo>;
  /** Takes (or renews) a lease for `seconds`; false when another writer holds the disk. */
  acquireLease(leaseId: string, seconds: number): Promise<boolean>;
  releaseLease(leaseId: string): Promise<void>;
  resize(sizeBytes: number, leaseId: string): Promise<void>;
  /** Marks the disk as written in part by `cycleId` (undefined clears the mark). */
  setCycleMark(cycleId: string | undefined, leaseId: string): Promise<void>;
  /** Writes `data` at `offset`, with its CRC64 so storage refuses bytes that changed in transit. */
  writePages(data: Buffer, offset: number, leaseId: string): Promise<void>;
  clearPages(offset: number, length: number, leaseId: string): Promise<void>;
  /** Bytes of the disk, or of one of its snapshots. */
  read(offset: number, length: number, snapshot?: string): Promise<Buffer>;
  /** Allocated (possibly non-zero) ranges of the disk or a snapshot, merged. */
  allocatedRanges(sizeBytes: number, snapshot?: string): Promise<ByteRange[]>;
  /**
   * The snapshot holding recovery point `pointId`: the one taken already, else a new one. A caller
   * that knows none can exist yet (`mayExist: false`) spares the listing of the disk's snapshots.
   */
  snapshotForPoint(pointId: string, options?: { mayExist?: boolean }): Promise<string>;
  /** Deletes the disk's recovery-point snapshots (the disk and other snapshots stay), at most `max`; how many were deleted and whether any remain. */
  deletePointSnapshots(max: number): Promise<{ deleted: number; done: boolean }>;
  /**
   * Copies one of the disk's own snapshots back onto it (failback to the point), under `leaseId`;
   * `marker` tells a copy already started for the same point.
   */
  restoreSnapshot(snapshot: string, marker: string, leaseId: string): Promise<'done' | 'copying'>;
}

export interface ReplicaTarget {
  /** The container recorded in recovery points (`RecoveryPointDisk.container`). */
  readonly containerName: string;
  /** Creates the target when missing. */
  ensure(): Promise<void>;
  /** Whether the target exists at all. */
  exists(): Promise<boolean>;
  disk(name: string): TargetDisk;
  upload(name: string, body: Buffer | string): Promise<void>;
  /** Writes the file unless one exists (the first writer wins); false when one did. */
  uploadNew(name: string, body: Buffer | string): Promise<boolean>;
  download(name: string): Promise<Buffer>;
  fileExists(name: string): Promise<boolean>;
  /** Names of the files under `prefix`, in name order. */
  list(prefix: string): AsyncIterable<string>;
  /** Deletes everything under `prefix` (with snapshots), at most `max`; done when nothing is left. */
  deletePrefix(prefix: string, max: number): Promise<{ deleted: number; done: boolean }>;
}

const WINDOW = 1024 * 1024 * 1024;
const POINT_TAG = 'pointid';

/** Allocated page ranges of a page blob (or snapshot), read in 1 GiB windows, merged. */
export async function allocatedRanges(blob: PageBlobClient, sizeBytes: number): Promise<ByteRange[]> {
  const ranges: ByteRange[] = [];
  for (let offset = 0; offset < sizeBytes; offset += WINDOW) {
    const response = await blob.getPageRanges(offset, Math.min(WINDOW, sizeBytes - offset));
    for (const range of response.pageRange ?? []) ranges.push({ offset: range.offset, length: (range.count ?? 0) + 1 });
  }
  return mergeRanges(ranges);
}

function blobDisk(container: ContainerClient, name: string): TargetDisk {
  const blob = container.getPageBlobClient(name);
  const at = (snapshot?: string): PageBlobClient => (snapshot ? blob.withSnapshot(snapshot) : blob);
  return {
    name,
    async createIfMissing(sizeBytes) {
      try {
        await blob.create(sizeBytes, { conditions: { ifNoneMatch: '*' } });
        return true;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
        return false;
      }
    },
    async info() {
      const properties = await blob.getProperties();
      const copy = properties.copyStatus === 'aborted' ? 'failed' : properties.copyStatus;
      return {
        sizeBytes: properties.contentLength ?? 0,
        ...(properties.metadata?.cycle ? { cycleMark: properties.metadata.cycle } : {}),
        ...(properties.metadata?.restoredfrom ? { restoredFrom: properties.metadata.restoredfrom } : {}),
        ...(copy ? { copy } : {}),
      };
    },
    async acquireLease(leaseId, seconds) {
      try {
        await blob.getBlobLeaseClient(leaseId).acquireLease(seconds);
        return true;
      } catch (error) {
        if (statusOf(error) === 409) return false;
        throw error;
      }
    },
    releaseLease: (leaseId) => releaseLease(blob, leaseId),
    async resize(sizeBytes, leaseId) {
      await blob.resize(sizeBytes, { conditions: { leaseId } });
    },
    async setCycleMark(cycleId, leaseId) {
      await blob.setMetadata(cycleId ? { cycle: cycleId } : {}, { conditions: { leaseId } });
    },
    async writePages(data, offset, leaseId) {
      // Replicated bytes carry their CRC64: storage refuses them when corrupted in transit.
      await blob.uploadPages(data, offset, data.length, { conditions: { leaseId }, transactionalContentCrc64: contentCrc64(data) });
    },
    async clearPages(offset, length, leaseId) {
      await blob.clearPages(offset, length, { conditions: { leaseId } });
    },
    read: (offset, length, snapshot) => at(snapshot).downloadToBuffer(offset, length),
    allocatedRanges: (sizeBytes, snapshot) => allocatedRanges(at(snapshot), sizeBytes),
    async snapshotForPoint(pointId, options = {}) {
      if (options.mayExist !== false) {
        for await (const item of container.listBlobsFlat({ prefix: name, includeSnapshots: true, includeMetadata: true })) {
          if (item.name === name && item.snapshot && item.metadata?.[POINT_TAG] === pointId) return item.snapshot;
        }
      }
      const { snapshot } = await blob.createSnapshot({ metadata: { [POINT_TAG]: pointId } });
      if (!snapshot) throw new Error(`Storage returned no snapshot id for '${name}'.`);
      return snapshot;
    },
    async deletePointSnapshots(max) {
      let deleted = 0;
      for await (const item of container.listBlobsFlat({ prefix: name, includeSnapshots: true, includeMetadata: true })) {
        if (item.name !== name || !item.snapshot || item.metadata?.[POINT_TAG] === undefined) continue;
        if (deleted >= max) return { deleted, done: false };
        await blob.withSnapshot(item.snapshot).deleteIfExists();
        deleted++;
      }
      return { deleted, done: true };
    },
    async restoreSnapshot(snapshot, marker, leaseId) {
      const properties = await blob.getProperties();
      if (properties.metadata?.restoredfrom === marker && properties.copyStatus === 'success') return 'done';
      if (properties.metadata?.restoredfrom === marker && properties.copyStatus === 'pending') return 'copying';
      await blob.beginCopyFromURL(blob.withSnapshot(snapshot).url, { conditions: { leaseId }, metadata: { ...properties.metadata, restoredfrom: marker } });
      return 'copying';
    },
  };
}

/** The target on a blob container (created on `ensure`). */
export function createBlobReplicaTarget(container: ContainerClient): ReplicaTarget {
  return {
    containerName: container.containerName,
    async ensure() {
      await container.createIfNotExists();
    },
    exists: () => container.exists(),
    disk: (name) => blobDisk(container, name),
    async upload(name, body) {
      const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      await container.getBlockBlobClient(name).upload(body, length);
    },
    uploadNew: (name, body) => uploadIfAbsent(container.getBlockBlobClient(name), body),
    download: (name) => container.getBlockBlobClient(name).downloadToBuffer(),
    fileExists: (name) => container.getBlockBlobClient(name).exists(),
    async *list(prefix) {
      for await (const item of container.listBlobsFlat({ prefix })) yield item.name;
    },
    async deletePrefix(prefix, max) {
      const names: string[] = [];
      let more = false;
      for await (const item of container.listBlobsFlat({ prefix })) {
        if (names.length >= max) {
          more = true;
          break;
        }
        names.push(item.name);
      }
      // Many per request; a blob a lease still holds (a cycle's, on a replica) is deleted on its own after its lease is broken.
      const leased: string[] = [];
      for (let i = 0; i < names.length; i += BLOB_BATCH_LIMIT) {
        const batch = names.slice(i, i + BLOB_BATCH_LIMIT).map((name) => container.getBlobClient(name));
        const clients = new Map(batch.map((client) => [client.url, client.name]));
        const response = await container.getBlobBatchClient().deleteBlobs(batch, { deleteSnapshots: 'include' });
        for (const sub of response.subResponses) {
          if (sub.status < 300 || sub.status === 404) continue;
          const name = clients.get(sub._request.url) ?? sub._request.url;
          if (sub.status === 412 || sub.status === 409) leased.push(name);
          else throw new Error(`Deleting '${name}' failed: ${sub.status} ${sub.errorCode ?? sub.statusMessage}.`);
        }
      }
      await inPool(leased, 8, async (name) => {
        const client = container.getBlobClient(name);
        await breakLease(client, [404, 409]);
        try {
          await client.deleteIfExists({ deleteSnapshots: 'include' });
        } catch (error) {
          if (!hasStatus(error, 404)) throw error;
        }
      });
      return { deleted: names.length, done: !more };
    },
  };
}
