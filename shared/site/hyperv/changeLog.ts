/**
 * A VM's change log, as Hyper-V's change tracking keeps it: one JSON line per write (seq, disk,
 * offset, length, time) in append blobs `log/<vmId>/<first seq>.log`, a new segment every
 * SEGMENT_ENTRIES writes (append blobs take at most 50 000 blocks).
 *
 * Segments only grow, so a reader remembers how far it has read each one (`SegmentMarks`) and the
 * next read downloads only what lies past a mark whose entries are all older than it needs; a
 * segment created anew under the same name (the log restarted) starts its marks over.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { statusOf } from '../../errors/storageStatus.js';
import type { ChangeLogEntry } from '../types.js';

const SEGMENT_ENTRIES = 20_000;
const TAIL_BYTES = 4096;
/** Read positions kept per segment (the newest). */
const MARKS_KEPT = 8;
/** How far behind the end `last()` still continues from where this reader stopped, rather than read the tail. */
const CONTINUE_BYTES = 16 * TAIL_BYTES;

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

interface Segment {
  name: string;
  firstSeq: number;
  sizeBytes: number;
  /** Which creation of the segment this is (its id, or its creation time for a segment written without one). */
  identity: string;
}

/** A read position: every entry before `bytes` has a seq ≤ `maxSeq`; `lastEntry` is the one ending there. */
interface Mark {
  bytes: number;
  maxSeq: number;
  lastEntry?: ChangeLogEntry;
}

/** What this reader has read of one segment. */
interface SegmentMarks {
  identity: string;
  marks: Mark[];
}

/** Metadata naming a segment's creation, so a reader can tell a segment created anew under the same name. */
const SEGMENT_ID = 'segmentid';

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
  const read = new Map<string, SegmentMarks>();

  async function segments(): Promise<Segment[]> {
    const found: Segment[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `log/${vmId}/`, includeMetadata: true })) {
      const match = /\/(\d+)\.log$/.exec(blob.name);
      if (!match) continue;
      const identity = blob.metadata?.[SEGMENT_ID] ?? String(blob.properties.createdOn?.getTime() ?? 0);
      found.push({ name: blob.name, firstSeq: Number(match[1]), sizeBytes: blob.properties.contentLength ?? 0, identity });
    }
    for (const name of read.keys()) if (!found.some((segment) => segment.name === name)) read.delete(name);
    return found.sort((a, b) => a.firstSeq - b.firstSeq);
  }

  async function downloadText(name: string, offset = 0): Promise<string> {
    const response = await container.getAppendBlobClient(name).download(offset);
    return (await buffer(response.readableStreamBody!)).toString('utf8');
  }

  /** The newest mark of the segment whose entries are all at or before `afterSeq` (the start when none). */
  function markFor(segment: Segment, afterSeq: number): Mark {
    const known = read.get(segment.name);
    const usable = known?.identity === segment.identity ? known.marks.filter((mark) => mark.maxSeq <= afterSeq && mark.bytes <= segment.sizeBytes) : [];
    return usable.at(-1) ?? { bytes: 0, maxSeq: 0 };
  }

  /** The segment's entries from `from` on, remembering where this read ended. */
  async function readFrom(segment: Segment, from: Mark): Promise<{ entries: ChangeLogEntry[]; end: Mark }> {
    if (from.bytes >= segment.sizeBytes) return { entries: [], end: from };
    const text = await downloadText(segment.name, from.bytes);
    // Each append is one whole line; a download ends at a line's end.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    const entries = parseLines(whole);
    const end: Mark = {
      bytes: from.bytes + Buffer.byteLength(whole),
      maxSeq: entries.reduce((max, entry) => Math.max(max, entry.seq), from.maxSeq),
      lastEntry: entries.at(-1) ?? from.lastEntry,
    };
    const known = read.get(segment.name);
    const marks = known && known.identity === segment.identity ? known.marks.filter((mark) => mark.bytes < end.bytes) : [];
    read.set(segment.name, { identity: segment.identity, marks: [...marks, end].slice(-MARKS_KEPT) });
    return { entries, end };
  }

  async function appendOnce(entry: ChangeLogEntry): Promise<void> {
    if (!current || current.blocks >= SEGMENT_ENTRIES) {
      const all = await segments();
      const lastSegment = all[all.length - 1];
      const blocks = lastSegment
        ? (await container.getAppendBlobClient(lastSegment.name).getProperties()).blobCommittedBlockCount ?? 0
        : SEGMENT_ENTRIES;
      current = lastSegment && blocks < SEGMENT_ENTRIES ? { name: lastSegment.name, blocks } : { name: segmentName(vmId, entry.seq), blocks: 0 };
      await container.getAppendBlobClient(current.name).createIfNotExists({ metadata: { [SEGMENT_ID]: randomUUID() } });
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
        const { entries } = await readFrom(segment, markFor(segment, afterSeq));
        for (const entry of entries) {
          if (entry.seq > afterSeq && entry.seq <= uptoSeq && !bySeq.has(entry.seq)) bySeq.set(entry.seq, entry);
        }
      }
      return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    },

    async last() {
      const all = await segments();
      for (let i = all.length - 1; i >= 0; i--) {
        const segment = all[i]!;
        if (segment.sizeBytes === 0) continue;
        // Where this reader stopped last, if that is near the end; else only the segment's tail.
        const known = markFor(segment, Number.POSITIVE_INFINITY);
        if (known.bytes > 0 && segment.sizeBytes - known.bytes <= CONTINUE_BYTES) {
          const { end } = await readFrom(segment, known);
          if (end.lastEntry) return end.lastEntry;
        }
        const entries = parseLines(await downloadText(segment.name, Math.max(0, segment.sizeBytes - TAIL_BYTES)));
        const lastEntry = entries[entries.length - 1];
        if (lastEntry) return lastEntry;
      }
      return undefined;
    },

    async delete() {
      for (const segment of await segments()) await container.getBlobClient(segment.name).deleteIfExists();
      current = undefined;
      read.clear();
    },
  };
}
