/**
 * The replication engine: copies a VM's disks from source snapshots into replica page blobs as
 * bounded, idempotent steps over a plain JSON state (`CycleState`), and cuts recovery points.
 *
 * plan* → copyStep* → finishCycle. Plans (ranges to process) are stored as blobs beside the replicas
 * under `plans/<itemKey>/<cycleId>/`, so the state stays small; each step writes the hashes it
 * computed there too, and finishCycle folds them into the point's manifest. A cycle id is derived from
 * the item and the source snapshots, so planning twice gives the same cycle and a re-run step
 * rewrites the same bytes. Targets are written under a lease (per cycle, 60 s, renewed every step,
 * or one the caller holds), so a replica has one writer at a time.
 */
import type { BlobServiceClient, ContainerClient, PageBlobClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { mergeRanges, totalBytes, type ByteRange } from '../site/byteRanges.js';
import { leaseIdFor, statusOf } from '../site/leases.js';
import type { ChangedRanges } from '../site/hyperVSite.js';
import { allocatedRanges, alignToChunks, deletePrefix, inPool, splitAtChunks } from './blobIo.js';
import { CHUNK_SIZE, hashChunk, ZERO_HASH } from './chunks.js';
import type { CycleDisk, CycleState, DiskCopyMode } from './cycleState.js';
import { applyHashUpdates, decodeManifest, encodeHashUpdates, encodeManifest, type Manifest } from './manifest.js';
import { recoveryPointId, type RecoveryPoint } from './recoveryPoint.js';
import type { RecoveryPointStore } from './recoveryPointStore.js';
import { ReplicaBusyError } from './ReplicaBusyError.js';
import { assertItemKey, replicaBlobName } from './recoverySite.js';

/** A source disk at a checkpoint (the site's `CheckpointDisk` fits). */
export interface SourceDisk {
  diskId: string;
  sizeBytes: number;
  container: string;
  blobName: string;
  snapshot: string;
}

/** A consistent source point (the site's `Checkpoint` fits). */
export interface SourceCheckpoint {
  vmId?: string;
  time: string;
  seq: number;
  applicationConsistent: boolean;
  disks: SourceDisk[];
}

export interface ReplicationEngineOptions {
  /** Where source disks live, and the site's change log when it has one. */
  source: {
    blobs: BlobServiceClient;
    readChangeLog?: (vmId: string, afterSeq: number, uptoSeq: number) => Promise<ChangedRanges>;
  };
  /** Where replicas, manifests and plans live. */
  target: { blobs: BlobServiceClient; containerName: string };
  points: RecoveryPointStore;
  /** Reads/writes in flight per step (default 4). */
  concurrency?: number;
}

export interface PlanInitialOptions {
  itemKey: string;
  checkpoint: SourceCheckpoint;
  /**
   * diskId → target blob in the engine's target container, one for every disk (default: the item's
   * replica blobs). Reverse replication names the original VM's disk blobs here.
   */
  targets?: Record<string, string>;
  /** A lease the caller already holds on the targets (e.g. the original site's fence lease); else the engine leases them per cycle. */
  leaseId?: string;
}

export interface PlanDeltaOptions extends PlanInitialOptions {
  /** The item's latest recovery point (the replicas hold exactly it). */
  previous: RecoveryPoint;
}

export type PlanResyncOptions = PlanInitialOptions;

/** What deleteReplicas removes besides the item's replicas, manifests and plans. */
export interface DeleteReplicasOptions {
  /** Blobs deleted per call (default 500). */
  maxBlobs?: number;
  /**
   * Target blobs that are not the item's own (reverse replication: the original disks): their
   * recovery-point snapshots are deleted, the blobs and their other snapshots kept.
   */
  targets?: string[];
}

export interface DiskVerification {
  diskId: string;
  chunks: number;
  /** Chunks whose bytes differ from the manifest (first 100). */
  mismatchedChunks: number[];
}

export interface Verification {
  ok: boolean;
  disks: DiskVerification[];
}

export interface ReplicationEngine {
  /** Plans the first full copy of a VM's disks into empty replicas. */
  planInitialReplication(options: PlanInitialOptions): Promise<CycleState>;
  /** Plans a delta cycle from the previous point to a new checkpoint. */
  planDeltaCycle(options: PlanDeltaOptions): Promise<CycleState>;
  /** Plans a resync: every chunk of source and target compared by hash, only differing chunks copied. */
  planResync(options: PlanResyncOptions): Promise<CycleState>;
  /** Processes the next ≈budgetBytes of source data; returns the new state (copied=true when done). */
  copyStep(state: CycleState, budgetBytes?: number): Promise<CycleState>;
  /** Writes manifests, snapshots the targets and records the recovery point (idempotent). */
  finishCycle(state: CycleState): Promise<{ state: CycleState; point: RecoveryPoint }>;
  /** Gives a cycle up: releases its lease and deletes its plan (the targets stay marked dirty). */
  abandonCycle(state: CycleState): Promise<void>;
  /** Recomputes the hashes of a point's snapshots and compares them with its manifests. */
  verifyRecoveryPoint(point: RecoveryPoint): Promise<Verification>;
  /** Compares a point's disks with source snapshots, chunk by chunk by hash. */
  compareWithSource(point: RecoveryPoint, source: SourceCheckpoint): Promise<Verification>;
  /** Deletes an item's replicas (with snapshots), manifests and plans, at most maxBlobs per call; done when none is left. */
  deleteReplicas(itemKey: string, options?: DeleteReplicasOptions): Promise<{ done: boolean }>;
}

const DEFAULT_BUDGET = 32 * 1024 * 1024;
const MAX_IO = 4 * 1024 * 1024;
const PAGE_RANGES = 4096;
const CYCLE_LEASE_SECONDS = 60;

const diskPart = (diskId: string): string => encodeURIComponent(diskId);
const planPrefix = (state: Pick<CycleState, 'itemKey' | 'cycleId'>): string => `plans/${state.itemKey}/${state.cycleId}/`;
const planPageName = (state: CycleState, disk: CycleDisk, page: number): string => `${planPrefix(state)}${diskPart(disk.diskId)}/p${String(page).padStart(6, '0')}.json`;
const hashesPrefix = (state: CycleState, disk: CycleDisk): string => `${planPrefix(state)}${diskPart(disk.diskId)}/h`;
const manifestName = (itemKey: string, diskId: string, pointId: string): string => `manifests/${itemKey}/${diskPart(diskId)}/${pointId}.bin`;

/** The target blob of every disk of the plan: the caller's, else the item's replica blobs. */
function targetsOf(plan: PlanInitialOptions): string[] {
  return plan.checkpoint.disks.map((d) => {
    if (!plan.targets) return replicaBlobName(plan.itemKey, d.diskId);
    const name = plan.targets[d.diskId];
    if (!name) throw new RangeError(`No target blob given for disk '${d.diskId}'.`);
    return name;
  });
}

function cycleIdOf(kind: CycleState['kind'], itemKey: string, disks: readonly SourceDisk[], targets: readonly string[]): string {
  const basis = JSON.stringify([kind, itemKey, disks.map((d) => [d.diskId, d.container, d.blobName, d.snapshot]), targets]);
  return createHash('sha256').update(basis).digest('hex').slice(0, 24);
}

function emptyCounters(): Pick<CycleState, 'bytesTotal' | 'bytesDone' | 'bytesRead' | 'bytesUploaded' | 'bytesCleared' | 'chunksHashed' | 'chunksUploaded' | 'chunksUnchanged' | 'steps'> {
  return { bytesTotal: 0, bytesDone: 0, bytesRead: 0, bytesUploaded: 0, bytesCleared: 0, chunksHashed: 0, chunksUploaded: 0, chunksUnchanged: 0, steps: 0 };
}

interface StepChunk {
  disk: number;
  chunk: number;
  pieces: ByteRange[];
}

export function createReplicationEngine(options: ReplicationEngineOptions): ReplicationEngine {
  const target: ContainerClient = options.target.blobs.getContainerClient(options.target.containerName);
  const concurrency = options.concurrency ?? 4;
  const manifests = new Map<string, Manifest>();

  const sourceBlob = (disk: Pick<CycleDisk, 'source'>): PageBlobClient =>
    options.source.blobs.getContainerClient(disk.source.container).getPageBlobClient(disk.source.blobName).withSnapshot(disk.source.snapshot);
  const targetBlob = (name: string): PageBlobClient => target.getPageBlobClient(name);
  const cycleLeaseId = (state: Pick<CycleState, 'cycleId' | 'leaseId'>): string => state.leaseId ?? leaseIdFor(`cycle:${state.cycleId}`);

  async function loadManifest(name: string, container: ContainerClient = target): Promise<Manifest> {
    const key = `${container.containerName}/${name}`;
    let manifest = manifests.get(key);
    if (!manifest) {
      manifest = decodeManifest(await container.getBlockBlobClient(name).downloadToBuffer());
      manifests.set(key, manifest);
    }
    return manifest;
  }

  /** Takes (or renews) the cycle's lease on a target; fails when another writer holds it. */
  async function leaseTarget(state: Pick<CycleState, 'cycleId' | 'leaseId'>, name: string): Promise<string> {
    const leaseId = cycleLeaseId(state);
    if (state.leaseId) return leaseId;
    try {
      await targetBlob(name).getBlobLeaseClient(leaseId).acquireLease(CYCLE_LEASE_SECONDS);
    } catch (error) {
      if (statusOf(error) === 409) throw new ReplicaBusyError(name);
      throw error;
    }
    return leaseId;
  }

  /** Creates the target when missing and gives it the disk's size. */
  async function prepareTarget(state: Pick<CycleState, 'cycleId' | 'leaseId'>, name: string, sizeBytes: number, empty: boolean): Promise<void> {
    await target.createIfNotExists();
    const blob = targetBlob(name);
    try {
      await blob.create(sizeBytes, { conditions: { ifNoneMatch: '*' } });
      return;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const leaseId = await leaseTarget(state, name);
    const properties = await blob.getProperties();
    if (properties.contentLength !== sizeBytes) await blob.resize(sizeBytes, { conditions: { leaseId } });
    if (empty) {
      for (const range of await allocatedRanges(blob, sizeBytes)) {
        await blob.clearPages(range.offset, range.length, { conditions: { leaseId } });
      }
    }
  }

  async function writePlan(state: CycleState, disk: CycleDisk, ranges: readonly ByteRange[]): Promise<void> {
    disk.pages = Math.ceil(ranges.length / PAGE_RANGES);
    disk.bytesTotal = totalBytes(ranges);
    for (let page = 0; page < disk.pages; page++) {
      const body = JSON.stringify(ranges.slice(page * PAGE_RANGES, (page + 1) * PAGE_RANGES).map((r) => [r.offset, r.length]));
      await target.getBlockBlobClient(planPageName(state, disk, page)).upload(body, Buffer.byteLength(body));
    }
  }

  function newState(kind: CycleState['kind'], plan: PlanInitialOptions, targets: string[]): CycleState {
    assertItemKey(plan.itemKey);
    const { checkpoint } = plan;
    return {
      version: 1,
      kind,
      cycleId: cycleIdOf(kind, plan.itemKey, checkpoint.disks, targets),
      itemKey: plan.itemKey,
      ...(checkpoint.vmId ? { vmId: checkpoint.vmId } : {}),
      time: checkpoint.time,
      seq: checkpoint.seq,
      applicationConsistent: checkpoint.applicationConsistent,
      ...(plan.leaseId ? { leaseId: plan.leaseId } : {}),
      disks: checkpoint.disks.map((d, i) => ({
        diskId: d.diskId,
        sizeBytes: d.sizeBytes,
        source: { container: d.container, blobName: d.blobName, snapshot: d.snapshot },
        targetBlob: targets[i]!,
        mode: 'full' as DiskCopyMode,
        pages: 0,
        bytesTotal: 0,
        marked: false,
      })),
      cursor: { disk: 0, page: 0, index: 0, offset: 0 },
      copied: false,
      ...emptyCounters(),
    };
  }

  async function planFull(state: CycleState, disk: CycleDisk): Promise<void> {
    disk.mode = 'full';
    await prepareTarget(state, disk.targetBlob, disk.sizeBytes, true);
    await writePlan(state, disk, alignToChunks(await allocatedRanges(sourceBlob(disk), disk.sizeBytes), disk.sizeBytes));
  }

  async function planHashCompare(state: CycleState, disk: CycleDisk): Promise<void> {
    disk.mode = 'hashCompare';
    await prepareTarget(state, disk.targetBlob, disk.sizeBytes, false);
    const ranges = [...(await allocatedRanges(sourceBlob(disk), disk.sizeBytes)), ...(await allocatedRanges(targetBlob(disk.targetBlob), disk.sizeBytes))];
    await writePlan(state, disk, alignToChunks(mergeRanges(ranges), disk.sizeBytes));
  }

  function finalize(state: CycleState): CycleState {
    state.bytesTotal = state.disks.reduce((sum, d) => sum + d.bytesTotal, 0);
    state.copied = state.disks.every((d) => d.pages === 0);
    return state;
  }

  /** Collects the chunks of the next step from the plan, advancing the cursor. */
  async function collect(state: CycleState, budgetBytes: number): Promise<StepChunk[]> {
    const chunks: StepChunk[] = [];
    const pageCache = new Map<string, Array<[number, number]>>();
    const cursor = state.cursor;
    for (;;) {
      const disk = state.disks[cursor.disk];
      if (!disk) {
        state.copied = true;
        return chunks;
      }
      if (cursor.page >= disk.pages) {
        Object.assign(cursor, { disk: cursor.disk + 1, page: 0, index: 0, offset: 0 });
        continue;
      }
      const name = planPageName(state, disk, cursor.page);
      let page = pageCache.get(name);
      if (!page) {
        page = JSON.parse((await target.getBlockBlobClient(name).downloadToBuffer()).toString('utf8')) as Array<[number, number]>;
        pageCache.set(name, page);
      }
      const range = page[cursor.index];
      if (!range) {
        cursor.page++;
        cursor.index = 0;
        cursor.offset = 0;
        continue;
      }
      const position = range[0] + cursor.offset;
      const rangeEnd = range[0] + range[1];
      const chunk = Math.floor(position / CHUNK_SIZE);
      const last = chunks[chunks.length - 1];
      const sameChunk = last !== undefined && last.disk === cursor.disk && last.chunk === chunk;
      if (!sameChunk && chunks.length > 0 && chunks.length * CHUNK_SIZE >= budgetBytes) return chunks;
      const pieceEnd = Math.min(rangeEnd, (chunk + 1) * CHUNK_SIZE);
      const piece = { offset: position, length: pieceEnd - position };
      if (sameChunk) last.pieces.push(piece);
      else chunks.push({ disk: cursor.disk, chunk, pieces: [piece] });
      state.bytesDone += piece.length;
      if (pieceEnd >= rangeEnd) {
        cursor.index++;
        cursor.offset = 0;
      } else {
        cursor.offset = pieceEnd - range[0];
      }
    }
  }

  interface Write {
    offset: number;
    length: number;
    clear: boolean;
  }

  function mergeWrites(writes: Write[]): Write[] {
    const merged: Write[] = [];
    for (const write of writes.sort((a, b) => a.offset - b.offset)) {
      const last = merged[merged.length - 1];
      if (last && last.clear === write.clear && last.offset + last.length === write.offset && last.length + write.length <= MAX_IO) last.length += write.length;
      else merged.push({ ...write });
    }
    return merged;
  }

  /** Reads, hashes and writes one run of consecutive chunks of a disk. */
  async function processRun(state: CycleState, disk: CycleDisk, run: StepChunk[], leaseId: string, updates: Array<[number, Buffer]>): Promise<void> {
    const runStart = run[0]!.chunk * CHUNK_SIZE;
    const runEnd = Math.min(disk.sizeBytes, (run[run.length - 1]!.chunk + 1) * CHUNK_SIZE);
    const length = runEnd - runStart;
    const reads: Array<Promise<Buffer>> = [sourceBlob(disk).downloadToBuffer(runStart, length)];
    if (disk.mode === 'hashCompare') reads.push(targetBlob(disk.targetBlob).downloadToBuffer(runStart, length));
    const [data, targetData] = await Promise.all(reads);
    state.bytesRead += length * reads.length;
    const base = disk.baseManifest && (disk.mode === 'changeLog' || disk.mode === 'pageRanges') ? await loadManifest(disk.baseManifest) : undefined;
    const writes: Write[] = [];
    for (const item of run) {
      const start = item.chunk * CHUNK_SIZE - runStart;
      const end = Math.min(length, start + CHUNK_SIZE);
      const hash = hashChunk(data!.subarray(start, end));
      const zero = hash === ZERO_HASH;
      updates.push([item.chunk, hash]);
      state.chunksHashed++;
      const whole: Write = { offset: runStart + start, length: end - start, clear: zero };
      let changed: boolean;
      if (disk.mode === 'full') changed = !zero;
      else if (disk.mode === 'hashCompare') changed = !hashChunk(targetData!.subarray(start, end)).equals(hash);
      else changed = !(base?.chunks.get(item.chunk) ?? ZERO_HASH).equals(hash);
      if (!changed) {
        state.chunksUnchanged++;
        continue;
      }
      state.chunksUploaded++;
      if (disk.mode === 'changeLog') for (const piece of item.pieces) writes.push({ offset: piece.offset, length: piece.length, clear: false });
      else writes.push(whole);
    }
    const blob = targetBlob(disk.targetBlob);
    for (const write of mergeWrites(writes)) {
      if (write.clear) {
        await blob.clearPages(write.offset, write.length, { conditions: { leaseId } });
        state.bytesCleared += write.length;
      } else {
        const at = write.offset - runStart;
        await blob.uploadPages(data!.subarray(at, at + write.length), write.offset, write.length, { conditions: { leaseId } });
        state.bytesUploaded += write.length;
      }
    }
  }

  async function cleanup(state: CycleState, clearMarks: boolean): Promise<void> {
    for (const disk of state.disks) {
      const blob = targetBlob(disk.targetBlob);
      if (clearMarks && disk.marked) {
        try {
          const mark = (await blob.getProperties()).metadata?.cycle;
          if (mark === state.cycleId) await blob.setMetadata({}, { conditions: { leaseId: await leaseTarget(state, disk.targetBlob) } });
        } catch (error) {
          if (!(error instanceof ReplicaBusyError) && ![404, 409, 412].includes(statusOf(error) ?? 0)) throw error;
        }
      }
      if (!state.leaseId) {
        try {
          await blob.getBlobLeaseClient(cycleLeaseId(state)).releaseLease();
        } catch (error) {
          if (![404, 409, 412].includes(statusOf(error) ?? 0)) throw error;
        }
      }
    }
    await deletePrefix(target, planPrefix(state), Number.MAX_SAFE_INTEGER);
  }

  /** Hash of every chunk of a page blob (ZERO_HASH for zero chunks), reading allocated ranges only. */
  async function hashBlob(blob: PageBlobClient, sizeBytes: number): Promise<Buffer[]> {
    const hashes: Buffer[] = Array.from({ length: Math.ceil(sizeBytes / CHUNK_SIZE) }, () => ZERO_HASH);
    const pieces: ByteRange[] = [];
    for (const range of alignToChunks(await allocatedRanges(blob, sizeBytes), sizeBytes)) {
      for (let offset = range.offset; offset < range.offset + range.length; offset += MAX_IO) {
        pieces.push({ offset, length: Math.min(MAX_IO, range.offset + range.length - offset) });
      }
    }
    await inPool(pieces, concurrency, async (piece) => {
      const data = await blob.downloadToBuffer(piece.offset, piece.length);
      for (let at = 0; at < data.length; at += CHUNK_SIZE) hashes[(piece.offset + at) / CHUNK_SIZE] = hashChunk(data.subarray(at, at + CHUNK_SIZE));
    });
    return hashes;
  }

  const engine: ReplicationEngine = {
    async planInitialReplication(plan) {
      const state = newState('initial', plan, targetsOf(plan));
      for (const disk of state.disks) await planFull(state, disk);
      return finalize(state);
    },

    async planDeltaCycle(plan) {
      const state = newState('delta', plan, targetsOf(plan));
      const { checkpoint, previous } = plan;
      let changes: ChangedRanges | undefined;
      if (options.source.readChangeLog && checkpoint.vmId && checkpoint.seq >= previous.seq) {
        changes = await options.source.readChangeLog(checkpoint.vmId, previous.seq, checkpoint.seq);
      }
      for (const disk of state.disks) {
        const before = previous.disks.find((d) => d.diskId === disk.diskId);
        if (!before || before.replicaBlob !== disk.targetBlob) {
          await planFull(state, disk);
          continue;
        }
        const properties = await targetBlob(disk.targetBlob).getProperties();
        const dirty = properties.metadata?.cycle !== undefined && properties.metadata.cycle !== state.cycleId;
        if (dirty || properties.contentLength !== disk.sizeBytes) {
          await planHashCompare(state, disk);
          continue;
        }
        disk.baseManifest = before.manifestBlob;
        if (changes?.complete) {
          disk.mode = 'changeLog';
          await writePlan(state, disk, splitAtChunks(changes.disks[disk.diskId] ?? []));
        } else {
          disk.mode = 'pageRanges';
          const base = await loadManifest(before.manifestBlob);
          const baseRanges = [...base.chunks.keys()].map((chunk) => ({ offset: chunk * CHUNK_SIZE, length: CHUNK_SIZE }));
          const ranges = [...(await allocatedRanges(sourceBlob(disk), disk.sizeBytes)), ...baseRanges];
          await writePlan(state, disk, alignToChunks(mergeRanges(ranges), disk.sizeBytes));
        }
      }
      return finalize(state);
    },

    async planResync(plan) {
      const state = newState('resync', plan, targetsOf(plan));
      for (const disk of state.disks) await planHashCompare(state, disk);
      return finalize(state);
    },

    async copyStep(input, budgetBytes = DEFAULT_BUDGET) {
      const state = structuredClone(input);
      if (state.copied) return state;
      const reads = state.disks.some((d) => d.mode === 'hashCompare') ? 2 : 1;
      const chunks = await collect(state, Math.max(CHUNK_SIZE, budgetBytes / reads));
      const touched = [...new Set(chunks.map((c) => c.disk))];
      const leases = new Map<number, string>();
      for (const index of touched) {
        const disk = state.disks[index]!;
        const leaseId = await leaseTarget(state, disk.targetBlob);
        leases.set(index, leaseId);
        if (!disk.marked) {
          await targetBlob(disk.targetBlob).setMetadata({ cycle: state.cycleId }, { conditions: { leaseId } });
          disk.marked = true;
        }
      }
      const runs: Array<{ disk: number; chunks: StepChunk[] }> = [];
      for (const item of chunks) {
        const run = runs[runs.length - 1];
        const tail = run?.chunks[run.chunks.length - 1];
        if (run && run.disk === item.disk && tail!.chunk + 1 === item.chunk && run.chunks.length * CHUNK_SIZE < MAX_IO) run.chunks.push(item);
        else runs.push({ disk: item.disk, chunks: [item] });
      }
      const updates = new Map<number, Array<[number, Buffer]>>(touched.map((index) => [index, []]));
      await inPool(runs, concurrency, (run) => processRun(state, state.disks[run.disk]!, run.chunks, leases.get(run.disk)!, updates.get(run.disk)!));
      for (const [index, list] of updates) {
        if (list.length === 0) continue;
        list.sort((a, b) => a[0] - b[0]);
        const disk = state.disks[index]!;
        const body = encodeHashUpdates(list);
        await target.getBlockBlobClient(`${hashesPrefix(state, disk)}${String(list[0]![0]).padStart(10, '0')}.bin`).upload(body, body.length);
      }
      state.steps++;
      if (!state.copied && state.cursor.disk >= state.disks.length) state.copied = true;
      return state;
    },

    async finishCycle(input) {
      if (!input.copied) throw new Error('The cycle still has data to copy; run copyStep until copied.');
      const state = structuredClone(input);
      const pointId = recoveryPointId(state.time, state.cycleId);
      state.pointId = pointId;
      const existing = await options.points.get(state.itemKey, pointId);
      if (existing) {
        await cleanup(state, true);
        return { state, point: existing };
      }
      const disks: RecoveryPoint['disks'] = [];
      for (const disk of state.disks) {
        const manifestBlob = manifestName(state.itemKey, disk.diskId, pointId);
        const manifestClient = target.getBlockBlobClient(manifestBlob);
        if (!(await manifestClient.exists())) {
          const chunks = new Map<number, Buffer>();
          if (disk.baseManifest && (disk.mode === 'changeLog' || disk.mode === 'pageRanges')) {
            for (const [index, hash] of (await loadManifest(disk.baseManifest)).chunks) chunks.set(index, hash);
          }
          for await (const blob of target.listBlobsFlat({ prefix: hashesPrefix(state, disk) })) {
            applyHashUpdates(chunks, await target.getBlockBlobClient(blob.name).downloadToBuffer());
          }
          const body = encodeManifest({ sizeBytes: disk.sizeBytes, chunks });
          await manifestClient.upload(body, body.length);
        }
        let snapshot: string | undefined;
        for await (const blob of target.listBlobsFlat({ prefix: disk.targetBlob, includeSnapshots: true, includeMetadata: true })) {
          if (blob.name === disk.targetBlob && blob.snapshot && blob.metadata?.pointid === pointId) snapshot = blob.snapshot;
        }
        snapshot ??= (await targetBlob(disk.targetBlob).createSnapshot({ metadata: { pointid: pointId } })).snapshot!;
        disks.push({ diskId: disk.diskId, container: target.containerName, replicaBlob: disk.targetBlob, snapshot, manifestBlob, sizeBytes: disk.sizeBytes });
      }
      const point = await options.points.add({
        id: pointId,
        itemKey: state.itemKey,
        time: state.time,
        type: state.applicationConsistent ? 'ApplicationConsistent' : 'CrashConsistent',
        seq: state.seq,
        disks,
      });
      await cleanup(state, true);
      return { state, point };
    },

    async abandonCycle(state) {
      await cleanup(state, false);
    },

    async verifyRecoveryPoint(point) {
      const disks: DiskVerification[] = [];
      for (const disk of point.disks) {
        const container = options.target.blobs.getContainerClient(disk.container);
        const manifest = await loadManifest(disk.manifestBlob, container);
        const hashes = await hashBlob(container.getPageBlobClient(disk.replicaBlob).withSnapshot(disk.snapshot), disk.sizeBytes);
        const mismatchedChunks: number[] = [];
        hashes.forEach((hash, chunk) => {
          if (!(manifest.chunks.get(chunk) ?? ZERO_HASH).equals(hash) && mismatchedChunks.length < 100) mismatchedChunks.push(chunk);
        });
        for (const chunk of manifest.chunks.keys()) if (chunk >= hashes.length && mismatchedChunks.length < 100) mismatchedChunks.push(chunk);
        disks.push({ diskId: disk.diskId, chunks: hashes.length, mismatchedChunks });
      }
      return { ok: disks.every((d) => d.mismatchedChunks.length === 0), disks };
    },

    async compareWithSource(point, source) {
      const disks: DiskVerification[] = [];
      for (const disk of point.disks) {
        const from = source.disks.find((d) => d.diskId === disk.diskId);
        const replica = await hashBlob(options.target.blobs.getContainerClient(disk.container).getPageBlobClient(disk.replicaBlob).withSnapshot(disk.snapshot), disk.sizeBytes);
        const mismatchedChunks: number[] = [];
        if (!from || from.sizeBytes !== disk.sizeBytes) mismatchedChunks.push(-1);
        else {
          const original = await hashBlob(sourceBlob({ source: { container: from.container, blobName: from.blobName, snapshot: from.snapshot } }), from.sizeBytes);
          original.forEach((hash, chunk) => {
            if (!hash.equals(replica[chunk]!) && mismatchedChunks.length < 100) mismatchedChunks.push(chunk);
          });
        }
        disks.push({ diskId: disk.diskId, chunks: replica.length, mismatchedChunks });
      }
      const missing = source.disks.some((d) => !point.disks.some((p) => p.diskId === d.diskId));
      return { ok: !missing && disks.every((d) => d.mismatchedChunks.length === 0), disks };
    },

    async deleteReplicas(itemKey, deleteOptions = {}) {
      assertItemKey(itemKey);
      let budget = deleteOptions.maxBlobs ?? 500;
      if (!(await target.exists())) return { done: true };
      for (const prefix of [`replicas/${itemKey}/`, `manifests/${itemKey}/`, `plans/${itemKey}/`]) {
        const result = await deletePrefix(target, prefix, budget);
        budget -= result.deleted;
        if (!result.done || budget <= 0) return { done: false };
      }
      for (const name of deleteOptions.targets ?? []) {
        for await (const blob of target.listBlobsFlat({ prefix: name, includeSnapshots: true, includeMetadata: true })) {
          if (blob.name !== name || !blob.snapshot || blob.metadata?.pointid === undefined) continue;
          if (budget <= 0) return { done: false };
          await targetBlob(name).withSnapshot(blob.snapshot).deleteIfExists();
          budget--;
        }
      }
      return { done: true };
    },
  };
  return engine;
}
