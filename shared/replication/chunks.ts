/** Chunking and hashing of disk data: the unit of change detection and of manifests. */
import { createHash } from 'node:crypto';
import { mergeRanges, type ByteRange } from '../site/byteRanges.js';

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

/** Ranges widened to whole chunks (clamped to the disk), merged. */
export function alignToChunks(ranges: readonly ByteRange[], sizeBytes: number): ByteRange[] {
  return mergeRanges(
    ranges.map((range) => {
      const start = Math.floor(range.offset / CHUNK_SIZE) * CHUNK_SIZE;
      const end = Math.min(sizeBytes, Math.ceil((range.offset + range.length) / CHUNK_SIZE) * CHUNK_SIZE);
      return { offset: start, length: end - start };
    }),
  );
}

/** Ranges cut at chunk boundaries, so each piece lies within one chunk. */
export function splitAtChunks(ranges: readonly ByteRange[]): ByteRange[] {
  const pieces: ByteRange[] = [];
  for (const range of ranges) {
    let offset = range.offset;
    const end = range.offset + range.length;
    while (offset < end) {
      const pieceEnd = Math.min(end, (Math.floor(offset / CHUNK_SIZE) + 1) * CHUNK_SIZE);
      pieces.push({ offset, length: pieceEnd - offset });
      offset = pieceEnd;
    }
  }
  return pieces;
}
