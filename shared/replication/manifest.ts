/**
 * A disk's manifest at a recovery point: the hash of every non-zero chunk. Binary, compact:
 * "SRMF" | version u32 | chunk size u32 | disk size u64 | entry count u32 | entries (chunk index u32 +
 * 16-byte hash), sorted by chunk index. Chunks not listed are all zeros.
 */
import { CHUNK_SIZE, HASH_SIZE, ZERO_HASH } from './chunks.js';

export interface Manifest {
  sizeBytes: number;
  /** chunk index → hash (never ZERO_HASH). */
  chunks: Map<number, Buffer>;
}

const MAGIC = 'SRMF';
const HEADER = 24;
const ENTRY = 4 + HASH_SIZE;

export function encodeManifest(manifest: Manifest): Buffer {
  const indexes = [...manifest.chunks.keys()].sort((a, b) => a - b);
  const out = Buffer.alloc(HEADER + indexes.length * ENTRY);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(1, 4);
  out.writeUInt32LE(CHUNK_SIZE, 8);
  out.writeBigUInt64LE(BigInt(manifest.sizeBytes), 12);
  out.writeUInt32LE(indexes.length, 20);
  indexes.forEach((index, i) => {
    out.writeUInt32LE(index, HEADER + i * ENTRY);
    manifest.chunks.get(index)!.copy(out, HEADER + i * ENTRY + 4);
  });
  return out;
}

export function decodeManifest(data: Buffer): Manifest {
  if (data.length < HEADER || data.toString('ascii', 0, 4) !== MAGIC) throw new Error('Not a chunk manifest.');
  if (data.readUInt32LE(8) !== CHUNK_SIZE) throw new Error('Manifest chunk size differs from this engine.');
  const count = data.readUInt32LE(20);
  const chunks = new Map<number, Buffer>();
  for (let i = 0; i < count; i++) {
    const at = HEADER + i * ENTRY;
    chunks.set(data.readUInt32LE(at), Buffer.from(data.subarray(at + 4, at + ENTRY)));
  }
  return { sizeBytes: Number(data.readBigUInt64LE(12)), chunks };
}

/** Chunk hash updates as a step records them: chunk index u32 + hash, ZERO_HASH for a zero chunk. */
export function encodeHashUpdates(updates: ReadonlyArray<readonly [number, Buffer]>): Buffer {
  const out = Buffer.alloc(updates.length * ENTRY);
  updates.forEach(([index, hash], i) => {
    out.writeUInt32LE(index, i * ENTRY);
    hash.copy(out, i * ENTRY + 4);
  });
  return out;
}

/** Applies encoded hash updates to a chunk map (zero chunks are removed). */
export function applyHashUpdates(chunks: Map<number, Buffer>, data: Buffer): void {
  for (let at = 0; at + ENTRY <= data.length; at += ENTRY) {
    const index = data.readUInt32LE(at);
    const hash = Buffer.from(data.subarray(at + 4, at + ENTRY));
    if (hash.equals(ZERO_HASH)) chunks.delete(index);
    else chunks.set(index, hash);
  }
}
