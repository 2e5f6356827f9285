import { diskTagOf, readSectorStamp, SECTOR_SIZE } from './sectorStamp.js';
import { UNTRACKED_CHANGES, type ChangeLogEntry } from '../types.js';

/** Outcome of a prefix-consistency check. */
export interface PrefixConsistency {
  /** True when the disks hold exactly writes 1..seq of the history, every stamp valid. */
  consistent: boolean;
  /** Highest write found on any disk (0 when none). */
  seq: number;
  /** The first problems found (empty when consistent). */
  problems: string[];
}

const MAX_PROBLEMS = 20;

/**
 * Checks that the disk images hold exactly a prefix 1..seq of the VM's write history: every sector
 * the workload stamped has a valid checksum and sits where it was written, and each sector shows the
 * last write ≤ seq that covered it — no write missing while a later one is present, on any disk.
 * Sectors no write ≤ seq covered must carry no stamp. Across a barrier (the disks changed untracked
 * while fenced), sectors not written since the barrier may hold any earlier write.
 */
export function verifyPrefixConsistency(
  diskImages: Readonly<Record<string, Uint8Array>>,
  changeLog: readonly ChangeLogEntry[],
): PrefixConsistency {
  const problems: string[] = [];
  const note = (problem: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const stamped = new Map<string, Float64Array>();
  let seq = 0;
  for (const [diskId, image] of Object.entries(diskImages)) {
    const sectors = Math.floor(image.byteLength / SECTOR_SIZE);
    const seqs = new Float64Array(sectors);
    const tag = diskTagOf(diskId);
    for (let s = 0; s < sectors; s++) {
      const stamp = readSectorStamp(image.subarray(s * SECTOR_SIZE, (s + 1) * SECTOR_SIZE));
      if (!stamp) continue;
      if (!stamp.checksumValid) note(`disk ${diskId} sector ${s}: checksum invalid (write ${stamp.seq})`);
      if (stamp.offset !== s * SECTOR_SIZE || stamp.diskTag !== tag) note(`disk ${diskId} sector ${s}: holds a sector of write ${stamp.seq} written elsewhere`);
      seqs[s] = stamp.seq;
      if (stamp.seq > seq) seq = stamp.seq;
    }
    stamped.set(diskId, seqs);
  }
  const history = [...changeLog].filter((e) => e.seq <= seq).sort((a, b) => a.seq - b.seq);
  const barrier = history.reduce((last, e) => (e.diskId === UNTRACKED_CHANGES ? e.seq : last), 0);
  const expected = new Map<string, Float64Array>();
  for (const [diskId, seqs] of stamped) expected.set(diskId, new Float64Array(seqs.length));
  let next = 1;
  for (const entry of history) {
    if (entry.seq < next) continue;
    if (entry.seq > next) note(`change log has no record of writes ${next}..${entry.seq - 1}`);
    next = entry.seq + 1;
    const target = expected.get(entry.diskId);
    if (!target) continue;
    const first = entry.offset / SECTOR_SIZE;
    const end = Math.min(target.length, (entry.offset + entry.length) / SECTOR_SIZE);
    for (let s = first; s < end; s++) target[s] = entry.seq;
  }
  if (seq > 0 && next <= seq) note(`change log has no record of writes ${next}..${seq}`);
  for (const [diskId, seqs] of stamped) {
    const want = expected.get(diskId)!;
    for (let s = 0; s < seqs.length; s++) {
      if (want[s]! < barrier && seqs[s]! < barrier) continue;
      if (seqs[s] !== want[s]) note(`disk ${diskId} sector ${s}: holds write ${seqs[s]}, expected ${want[s]}`);
    }
  }
  return { consistent: problems.length === 0, seq, problems };
}
