/**
 * A VM's change log, as Hyper-V's change tracking keeps it: one JSON line per write (seq, disk,
 * offset, length, time) in append blobs `log/<vmId>/<first seq>.log`, a new segment every
 * SEGMENT_ENTRIES writes (append blobs take at most 50 000 blocks).
 */
import type { ContainerClient } from '@azure/storage-blob';
import { buffer } from 'node:stream/consumers';
import { statusOf } from '../../errors/storageStatus.js';
import type { ChangeLogEntry } from '../types.js';

const SEGMENT_ENTRIES = 20_000;
const TAIL_BYTES = 4096;

export interface ChangeLog {
  /** Appends one entry (the workload calls this before writing the disk). */
  append(entry: ChangeLogEntry): Promise<void>;
  /** Entries with afterSeq < seq ≤ uptoSeq, in seq order, each seq once. */
  read(afterSeq: number, uptoSeq: number): Promise<ChangeLogEntry[]>;
  /** The last entry written, or undefined when the log is empty. */
  last(): Promise<ChangeLogEntry | undefined>;
  /** Deletes every segment. */
  delete(): Promise<void>;
}

const segmentName = (vmId: string, firstSeq: number): string => `log/${vmId}/${String(firstSeq).padStart(15, '0')}.log`;

function parseLines(text: string): ChangeLogEntry[] {
  const entries: ChangeLogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as ChangeLogEntry);
    } catch {
      // a partial line at the start of a tail read
    }
  }
  return entries;
}

export function createChangeLog(container: ContainerClient, vmId: string): ChangeLog {
  let current: { name: string; blocks: number } | undefined;

  async function segments(): Promise<Array<{ name: string; firstSeq: number }>> {
    const found: Array<{ name: string; firstSeq: number }> = [];
    for await (const blob of container.listBlobsFlat({ prefix: `log/${vmId}/` })) {
      const match = /\/(\d+)\.log$/.exec(blob.name);
      if (match) found.push({ name: blob.name, firstSeq: Number(match[1]) });
    }
    return found.sort((a, b) => a.firstSeq - b.firstSeq);
  }

  async function downloadText(name: string, offset = 0): Promise<string> {
    const response = await container.getAppendBlobClient(name).download(offset);
    return (await buffer(response.readableStreamBody!)).toString('utf8');
  }

  async function appendOnce(entry: ChangeLogEntry): Promise<void> {
    if (!current || current.blocks >= SEGMENT_ENTRIES) {
      const all = await segments();
      const lastSegment = all[all.length - 1];
      const blocks = lastSegment
        ? (await container.getAppendBlobClient(lastSegment.name).getProperties()).blobCommittedBlockCount ?? 0
        : SEGMENT_ENTRIES;
      current = lastSegment && blocks < SEGMENT_ENTRIES ? { name: lastSegment.name, blocks } : { name: segmentName(vmId, entry.seq), blocks: 0 };
      await container.getAppendBlobClient(current.name).createIfNotExists();
    }
    const line = `${JSON.stringify(entry)}\n`;
    await container.getAppendBlobClient(current.name).appendBlock(line, Buffer.byteLength(line));
    current.blocks++;
  }

  return {
    async append(entry) {
      try {
        await appendOnce(entry);
      } catch (error) {
        // The segment was removed by another writer (e.g. failback restarted the log): find it anew.
        if (statusOf(error) !== 404) throw error;
        current = undefined;
        await appendOnce(entry);
      }
    },

    async read(afterSeq, uptoSeq) {
      const all = await segments();
      const bySeq = new Map<number, ChangeLogEntry>();
      for (let i = 0; i < all.length; i++) {
        const segment = all[i]!;
        const nextFirst = all[i + 1]?.firstSeq ?? Number.POSITIVE_INFINITY;
        if (segment.firstSeq > uptoSeq || nextFirst <= afterSeq + 1) continue;
        for (const entry of parseLines(await downloadText(segment.name))) {
          if (entry.seq > afterSeq && entry.seq <= uptoSeq && !bySeq.has(entry.seq)) bySeq.set(entry.seq, entry);
        }
      }
      return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    },

    async last() {
      const all = await segments();
      for (let i = all.length - 1; i >= 0; i--) {
        const name = all[i]!.name;
        const size = (await container.getAppendBlobClient(name).getProperties()).contentLength ?? 0;
        if (size === 0) continue;
        const entries = parseLines(await downloadText(name, Math.max(0, size - TAIL_BYTES)));
        const lastEntry = entries[entries.length - 1];
        if (lastEntry) return lastEntry;
      }
      return undefined;
    },

    async delete() {
      for (const segment of await segments()) await container.getBlobClient(segment.name).deleteIfExists();
      current = undefined;
    },
  };
}
