/**
 * A guest's write workload on a VM of the Hyper-V site: serial writes (random or sequential, 512-aligned)
 * at a chosen rate, each logged before it is written (seq, disk, offset, length) and stamped in every
 * sector with its seq and checksum. The disks are written under the guest's lease (one id per VM); when a
 * checkpoint takes them, the write is retried once the workload has them again. The workload polls the
 * VM record: it answers quiesce requests at a write boundary, and stops when the VM is shut down or fenced.
 */
import { randomInt } from 'node:crypto';
import { SiteError } from '../../errors/SiteError.js';
import { isLeaseError, statusOf } from '../../errors/storageStatus.js';
import { releaseLease, sleep } from '../../storage/leases.js';
import { guestLeaseIdOf } from './checkpoints.js';
import { readSectorStamp, SECTOR_SIZE, stampWrite } from './sectorStamp.js';
import type { SiteStore, StoredVm } from './siteStore.js';
import type { ChangeLogEntry, SiteDisk } from '../types.js';

export interface WorkloadOptions {
  /** Random offsets (default) or sequential ones (each disk from its start, wrapping). */
  pattern?: 'random' | 'sequential';
  /** Bytes per write, a multiple of 512 (default 64 KiB). */
  writeSizeBytes?: number;
  /** Writes per second (default 20); 0 = as fast as possible. */
  writesPerSecond?: number;
  /** Stop after this long (default: until stopped). */
  durationInMs?: number;
  /** Stop after this many writes (default: unlimited). */
  maxWrites?: number;
  /** Only these disks (default: all). */
  diskIds?: string[];
  /** How long a quiesce may hold the guest before it resumes on its own (default 10 s). */
  maxQuiesceInMs?: number;
}

export interface WorkloadResult {
  writes: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  /** Why it ended. */
  reason: 'stopped' | 'duration' | 'maxWrites' | 'shutdown' | 'fenced' | 'removed';
}

export interface Workload {
  /** Last write completed so far. */
  readonly lastSeq: number;
  /** Asks the workload to finish its current write and stop. */
  stop(): Promise<WorkloadResult>;
  /** Settles when the workload ends. */
  readonly done: Promise<WorkloadResult>;
}

const POLL_MS = 500;

/** Starts a write workload on a running, unfenced VM. */
export async function runWorkload(site: Pick<SiteStore, 'readVmRecord' | 'diskBlob' | 'changeLog'> & { writeQuiesceAck(vmId: string, ack: { requestId: string; seq: number }): Promise<void> }, vmId: string, options: WorkloadOptions = {}): Promise<Workload> {
  const { vm: initial } = await site.readVmRecord(vmId);
  if (initial.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced: its disks refuse writes.`);
  if (initial.powerState !== 'Running') throw new SiteError('VmOff', `VM '${vmId}' is not running.`);
  const writeSize = options.writeSizeBytes ?? 64 * 1024;
  if (writeSize <= 0 || writeSize % SECTOR_SIZE !== 0) throw new RangeError('Write size must be a positive multiple of 512.');
  const disks = initial.disks.filter((disk) => !options.diskIds || options.diskIds.includes(disk.id));
  if (disks.length === 0) throw new SiteError('InvalidVm', 'No disk to write.');
  if (disks.some((disk) => disk.sizeBytes < writeSize)) throw new RangeError('Write size exceeds a disk.');
  const log = site.changeLog(vmId);
  const leaseId = guestLeaseIdOf(vmId);

  let stopping = false;
  let lastSeq = 0;
  let lastPoll = 0;
  let quiesceSeen: string | undefined;
  const cursors = new Map<string, number>(disks.map((disk) => [disk.id, 0]));

  async function acquire(): Promise<StoredVm['powerState'] | 'fenced' | 'ok'> {
    for (;;) {
      const { vm } = await site.readVmRecord(vmId);
      if (vm.fenced) return 'fenced';
      if (vm.powerState !== 'Running') return 'Off';
      let all = true;
      for (const disk of disks) {
        try {
          await site.diskBlob(disk).getBlobLeaseClient(leaseId).acquireLease(-1);
        } catch (error) {
          if (statusOf(error) === 404) throw new SiteError('VmNotFound', `VM '${vmId}' was removed.`);
          if (statusOf(error) !== 409) throw error;
          all = false;
          break;
        }
      }
      if (all) return 'ok';
      // A checkpoint holds the disks for a moment.
      await sleep(50);
    }
  }

  /** Writes one logged write, retrying while a checkpoint holds the disks; false when the VM stopped. */
  async function put(disk: SiteDisk, entry: ChangeLogEntry, data: Buffer): Promise<'ok' | 'shutdown' | 'fenced' | 'removed'> {
    for (;;) {
      try {
        await site.diskBlob(disk).uploadPages(data, entry.offset, entry.length, { conditions: { leaseId } });
        return 'ok';
      } catch (error) {
        if (statusOf(error) === 404) return 'removed';
        if (!isLeaseError(error)) throw error;
      }
      let state: Awaited<ReturnType<typeof acquire>>;
      try {
        state = await acquire();
      } catch (error) {
        if (error instanceof SiteError && error.code === 'VmNotFound') return 'removed';
        throw error;
      }
      if (state === 'fenced') return 'fenced';
      if (state !== 'ok') return 'shutdown';
    }
  }

  /** Polls the VM record: answers a quiesce request, reports shutdown/fencing. */
  async function poll(): Promise<'ok' | 'shutdown' | 'fenced' | 'removed'> {
    lastPoll = Date.now();
    let record: StoredVm;
    try {
      record = (await site.readVmRecord(vmId)).vm;
    } catch (error) {
      if (error instanceof SiteError && error.code === 'VmNotFound') return 'removed';
      throw error;
    }
    if (record.fenced) return 'fenced';
    if (record.powerState !== 'Running') return 'shutdown';
    if (record.quiesce && record.quiesce.requestId !== quiesceSeen) {
      quiesceSeen = record.quiesce.requestId;
      await site.writeQuiesceAck(vmId, { requestId: quiesceSeen, seq: lastSeq });
      const until = Date.now() + (options.maxQuiesceInMs ?? 10_000);
      while (Date.now() < until) {
        await sleep(20);
        const current = (await site.readVmRecord(vmId)).vm;
        if (current.quiesce?.requestId !== quiesceSeen || current.fenced || current.powerState !== 'Running') break;
      }
    }
    return 'ok';
  }

  /**
   * The history continues after the last logged write (or the history the disks came with); a write
   * logged by a previous run but never written is written now, so the history has no hole.
   */
  async function redoUnfinished(): Promise<void> {
    lastSeq = initial.historySeq ?? 0;
    const last = await log.last();
    if (!last || last.seq <= lastSeq) return;
    lastSeq = last.seq;
    const disk = initial.disks.find((d) => d.id === last.diskId);
    if (!disk) return;
    const sector = await site.diskBlob(disk).downloadToBuffer(last.offset, SECTOR_SIZE);
    if (readSectorStamp(sector)?.seq === last.seq) return;
    const state = await put(disk, last, stampWrite(disk.id, last.seq, last.offset, last.length));
    if (state !== 'ok') throw new SiteError('WorkloadStopped', `VM '${vmId}' stopped before the workload could start.`);
  }

  const begin = await acquire();
  if (begin !== 'ok') throw new SiteError(begin === 'fenced' ? 'VmFenced' : 'VmOff', `VM '${vmId}' cannot be written now.`);
  await redoUnfinished();
  const firstSeq = lastSeq + 1;
  const startedAt = Date.now();
  const rate = options.writesPerSecond ?? 20;

  async function loop(): Promise<WorkloadResult> {
    let writes = 0;
    let reason: WorkloadResult['reason'] = 'stopped';
    try {
      for (;;) {
        if (stopping) break;
        if (options.durationInMs !== undefined && Date.now() - startedAt >= options.durationInMs) { reason = 'duration'; break; }
        if (options.maxWrites !== undefined && writes >= options.maxWrites) { reason = 'maxWrites'; break; }
        if (Date.now() - lastPoll >= POLL_MS) {
          const state = await poll();
          if (state !== 'ok') { reason = state; break; }
        }
        if (rate > 0) {
          const due = startedAt + (writes * 1000) / rate;
          if (due > Date.now()) { await sleep(Math.min(due - Date.now(), POLL_MS)); continue; }
        }
        const disk = disks[options.pattern === 'sequential' ? writes % disks.length : randomInt(disks.length)]!;
        const sectors = disk.sizeBytes / SECTOR_SIZE;
        const writeSectors = writeSize / SECTOR_SIZE;
        let offset: number;
        if (options.pattern === 'sequential') {
          const cursor = cursors.get(disk.id)!;
          offset = cursor + writeSize > disk.sizeBytes ? 0 : cursor;
          cursors.set(disk.id, offset + writeSize);
        } else {
          offset = randomInt(sectors - writeSectors + 1) * SECTOR_SIZE;
        }
        const entry: ChangeLogEntry = { seq: lastSeq + 1, diskId: disk.id, offset, length: writeSize, time: new Date().toISOString() };
        await log.append(entry);
        const state = await put(disk, entry, stampWrite(disk.id, entry.seq, offset, writeSize));
        if (state !== 'ok') { reason = state; break; }
        lastSeq = entry.seq;
        writes++;
      }
    } finally {
      await Promise.all(disks.map((disk) => releaseLease(site.diskBlob(disk), leaseId)));
    }
    return { writes, bytes: writes * writeSize, firstSeq, lastSeq, reason };
  }

  const done = loop();
  return {
    get lastSeq() {
      return lastSeq;
    },
    done,
    async stop() {
      stopping = true;
      return done;
    },
  };
}
