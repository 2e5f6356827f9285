/** Small blob helpers the replication engine uses. */
import type { ContainerClient, PageBlobClient } from '@azure/storage-blob';
import { mergeRanges, type ByteRange } from '../site/byteRanges.js';
import { CHUNK_SIZE } from './chunks.js';

const WINDOW = 1024 * 1024 * 1024;

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/** Allocated page ranges of a page blob (or snapshot), read in 1 GiB windows, merged. */
export async function allocatedRanges(blob: PageBlobClient, sizeBytes: number): Promise<ByteRange[]> {
  const ranges: ByteRange[] = [];
  for (let offset = 0; offset < sizeBytes; offset += WINDOW) {
    const response = await blob.getPageRanges(offset, Math.min(WINDOW, sizeBytes - offset));
    for (const range of response.pageRange ?? []) ranges.push({ offset: range.offset, length: (range.count ?? 0) + 1 });
  }
  return mergeRanges(ranges);
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
      const chunkEnd = (Math.floor(offset / CHUNK_SIZE) + 1) * CHUNK_SIZE;
      const pieceEnd = Math.min(end, chunkEnd);
      pieces.push({ offset, length: pieceEnd - offset });
      offset = pieceEnd;
    }
  }
  return pieces;
}

/** Deletes every blob under a prefix (with snapshots), at most `max`, 8 at a time; done when none is left. */
export async function deletePrefix(container: ContainerClient, prefix: string, max: number): Promise<{ deleted: number; done: boolean }> {
  const names: string[] = [];
  let more = false;
  for await (const blob of container.listBlobsFlat({ prefix })) {
    if (names.length >= max) {
      more = true;
      break;
    }
    names.push(blob.name);
  }
  await inPool(names, 8, async (name) => {
    const client = container.getBlobClient(name);
    try {
      await client.getBlobLeaseClient().breakLease(0);
    } catch {
      // not leased
    }
    await client.deleteIfExists({ deleteSnapshots: 'include' });
  });
  return { deleted: names.length, done: !more };
}
