/**
 * Checking recovery points by hash: a point's disks against its own manifests (what the source held
 * at the point), or against source snapshots. Reads only allocated ranges.
 */
import type { ByteRange } from '../site/byteRanges.js';
import { inPool } from '../inPool.js';
import { alignToChunks, CHUNK_SIZE, hashChunk, ZERO_HASH } from './chunks.js';
import type { SourceCheckpoint } from './diskSource.js';
import type { EngineContext } from './engineContext.js';
import type { RecoveryPoint } from './recoveryPoint.js';

const MAX_IO = 4 * 1024 * 1024;
const MAX_REPORTED = 100;

export interface DiskVerification {
  diskId: string;
  chunks: number;
  /** Chunks whose bytes differ (first 100); -1 when the disk is missing or of another size. */
  mismatchedChunks: number[];
  /** Bytes read and hashed (the allocated ranges, chunk-aligned). */
  bytesVerified?: number;
}

export interface Verification {
  ok: boolean;
  disks: DiskVerification[];
}

/** Hash of every chunk of a disk (ZERO_HASH for zero chunks), reading allocated ranges only. */
async function hashDisk(
  reader: { ranges(): Promise<ByteRange[]>; read(offset: number, length: number): Promise<Buffer> },
  sizeBytes: number,
  concurrency: number,
  read: { bytes: number } = { bytes: 0 },
): Promise<Buffer[]> {
  const hashes: Buffer[] = Array.from({ length: Math.ceil(sizeBytes / CHUNK_SIZE) }, () => ZERO_HASH);
  const pieces: ByteRange[] = [];
  for (const range of alignToChunks(await reader.ranges(), sizeBytes)) {
    for (let offset = range.offset; offset < range.offset + range.length; offset += MAX_IO) {
      pieces.push({ offset, length: Math.min(MAX_IO, range.offset + range.length - offset) });
    }
  }
  await inPool(pieces, concurrency, async (piece) => {
    const data = await reader.read(piece.offset, piece.length);
    read.bytes += data.length;
    for (let at = 0; at < data.length; at += CHUNK_SIZE) hashes[(piece.offset + at) / CHUNK_SIZE] = hashChunk(data.subarray(at, at + CHUNK_SIZE));
  });
  return hashes;
}

/** The hashes of a point's disk, from its snapshot in the target. */
function pointDiskHashes(ctx: EngineContext, disk: RecoveryPoint['disks'][number]): Promise<Buffer[]> {
  const target = ctx.target.disk(disk.replicaBlob);
  return hashDisk({ ranges: () => target.allocatedRanges(disk.sizeBytes, disk.snapshot), read: (offset, length) => target.read(offset, length, disk.snapshot) }, disk.sizeBytes, ctx.concurrency);
}

const note = (list: number[], chunk: number): void => {
  if (list.length < MAX_REPORTED) list.push(chunk);
};

/** The chunks whose hashes differ from the disk's manifest at the point. */
async function againstManifest(ctx: EngineContext, disk: RecoveryPoint['disks'][number], hashes: readonly Buffer[]): Promise<number[]> {
  const manifest = await ctx.manifests.load(ctx.target, disk.manifestBlob);
  const mismatchedChunks: number[] = [];
  hashes.forEach((hash, chunk) => {
    if (!(manifest.chunks.get(chunk) ?? ZERO_HASH).equals(hash)) note(mismatchedChunks, chunk);
  });
  for (const chunk of manifest.chunks.keys()) if (chunk >= hashes.length) note(mismatchedChunks, chunk);
  return mismatchedChunks;
}

/** Recomputes the hashes of a point's snapshots and compares them with its manifests. */
export async function verifyRecoveryPoint(ctx: EngineContext, point: RecoveryPoint): Promise<Verification> {
  const disks: DiskVerification[] = [];
  for (const disk of point.disks) {
    const hashes = await pointDiskHashes(ctx, disk);
    disks.push({ diskId: disk.diskId, chunks: hashes.length, mismatchedChunks: await againstManifest(ctx, disk, hashes) });
  }
  return { ok: disks.every((d) => d.mismatchedChunks.length === 0), disks };
}

/**
 * Compares a copy of a point (a VM created from it, as a checkpoint of the engine's source holds
 * it) with the point's manifests, chunk by chunk by hash: what a drill proves of its test VM.
 */
export async function verifyCopyOfPoint(ctx: EngineContext, point: RecoveryPoint, copy: SourceCheckpoint): Promise<Verification> {
  const disks: DiskVerification[] = [];
  for (const disk of point.disks) {
    const at = copy.disks.find((d) => d.diskId === disk.diskId);
    if (!at || at.sizeBytes !== disk.sizeBytes) {
      disks.push({ diskId: disk.diskId, chunks: 0, mismatchedChunks: [-1], bytesVerified: 0 });
      continue;
    }
    const read = { bytes: 0 };
    const hashes = await hashDisk({ ranges: () => ctx.source.allocatedRangesAt(at), read: (offset, length) => ctx.source.readAt(at, offset, length) }, at.sizeBytes, ctx.concurrency, read);
    disks.push({ diskId: disk.diskId, chunks: hashes.length, mismatchedChunks: await againstManifest(ctx, disk, hashes), bytesVerified: read.bytes });
  }
  return { ok: disks.every((d) => d.mismatchedChunks.length === 0), disks };
}

/** Compares a point's disks with source snapshots, chunk by chunk by hash. */
export async function compareWithSource(ctx: EngineContext, point: RecoveryPoint, source: SourceCheckpoint): Promise<Verification> {
  const disks: DiskVerification[] = [];
  for (const disk of point.disks) {
    const from = source.disks.find((d) => d.diskId === disk.diskId);
    const replica = await pointDiskHashes(ctx, disk);
    const mismatchedChunks: number[] = [];
    if (!from || from.sizeBytes !== disk.sizeBytes) mismatchedChunks.push(-1);
    else {
      const original = await hashDisk({ ranges: () => ctx.source.allocatedRangesAt(from), read: (offset, length) => ctx.source.readAt(from, offset, length) }, from.sizeBytes, ctx.concurrency);
      original.forEach((hash, chunk) => {
        if (!hash.equals(replica[chunk] ?? ZERO_HASH)) note(mismatchedChunks, chunk);
      });
    }
    disks.push({ diskId: disk.diskId, chunks: replica.length, mismatchedChunks });
  }
  const missing = source.disks.some((d) => !point.disks.some((p) => p.diskId === d.diskId));
  return { ok: !missing && disks.every((d) => d.mismatchedChunks.length === 0), disks };
}
