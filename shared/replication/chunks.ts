/** Chunking and hashing of disk data: the unit of change detection and of manifests. */
import { createHash } from 'node:crypto';

/** Hash granularity: 64 KiB. */
export const CHUNK_SIZE = 64 * 1024;
/** Bytes of a chunk hash (SHA-256 truncated to 128 bits). */
export const HASH_SIZE = 16;
/** The hash recorded for an all-zero chunk (never stored in a manifest). */
export const ZERO_HASH = Buffer.alloc(HASH_SIZE);

const ZERO_CHUNK = Buffer.alloc(CHUNK_SIZE);

/** True when every byte is zero. */
export function isZero(data: Uint8Array): boolean {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let offset = 0; offset < buf.length; offset += CHUNK_SIZE) {
    const piece = buf.subarray(offset, Math.min(buf.length, offset + CHUNK_SIZE));
    if (!piece.equals(ZERO_CHUNK.subarray(0, piece.length))) return false;
  }
  return true;
}

/** The chunk's hash: ZERO_HASH for an all-zero chunk, else the first 16 bytes of its SHA-256. */
export function hashChunk(data: Uint8Array): Buffer {
  if (isZero(data)) return ZERO_HASH;
  return createHash('sha256').update(data).digest().subarray(0, HASH_SIZE);
}
