/**
 * Planning a replication cycle: which ranges of which disks to process, written as plan pages beside
 * the targets so the cycle state stays small. A cycle id is derived from the item and the source
 * snapshots, so planning twice gives the same cycle.
 *
 * - initial: every allocated chunk of the source, and whatever the targets held before (cleared);
 * - delta: the site's change log since the previous point (or, without a usable log, every allocated
 *   chunk and every chunk of the previous manifest, compared by hash);
 * - resync: every chunk of source and target compared by hash (a target that holds a partly applied
 *   cycle, or a resized one, is resynced within a delta cycle too).
 */
import { createHash } from 'node:crypto';
import { mergeRanges, totalBytes, type ByteRange } from '../site/byteRanges.js';
import { alignToChunks, CHUNK_SIZE, splitAtChunks } from './chunks.js';
import { planPageName, prepareDisk } from './cycleTarget.js';
import type { CycleDisk, CycleState } from './cycleState.js';
import type { SourceCheckpoint, SourceDisk } from './diskSource.js';
import type { EngineContext } from './engineContext.js';
import type { RecoveryPoint } from './recoveryPoint.js';
import { assertItemKey, replicaBlobName } from './recoverySite.js';

export interface PlanInitialOptions {
  itemKey: string;
  checkpoint: SourceCheckpoint;
  /**
   * diskId → target disk, one for every disk (default: the item's replica blobs). Reverse
   * replication names the original VM's disks here.
   */
  targets?: Record<string, string>;
  /** A lease the caller already holds on the targets (e.g. the original site's fence lease); else the engine leases them per cycle. */
  leaseId?: string;
}

export interface PlanDeltaOptions extends PlanInitialOptions {
  /** The item's latest recovery point (the targets hold exactly it). */
  previous: RecoveryPoint;
}

export type PlanResyncOptions = PlanInitialOptions;

const PAGE_RANGES = 4096;

/** The target disk of every disk of the plan: the caller's, else the item's replica blobs. */
function targetsOf(plan: PlanInitialOptions): string[] {
  return plan.checkpoint.disks.map((d) => {
    if (!plan.targets) return replicaBlobName(plan.itemKey, d.diskId);
    const name = plan.targets[d.diskId];
    if (!name) throw new RangeError(`No target blob given for disk '${d.diskId}'.`);
    return name;
  });
}

function cycleIdOf(kind: CycleState['kind'], itemKey: string, checkpoint: SourceCheckpoint, targets: readonly string[]): string {
  // A checkpoint without snapshots (a quiet cycle's) is told apart by its time.
  const basis = JSON.stringify([kind, itemKey, checkpoint.disks.map((d) => [d.diskId, d.container, d.blobName, d.snapshot || checkpoint.time]), targets]);
  return createHash('sha256').update(basis).digest('hex').slice(0, 24);
}

function newState(kind: CycleState['kind'], plan: PlanInitialOptions): CycleState {
  assertItemKey(plan.itemKey);
  const { checkpoint } = plan;
  const targets = targetsOf(plan);
  return {
    version: 1,
    kind,
    cycleId: cycleIdOf(kind, plan.itemKey, checkpoint, targets),
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
      targetBlob: targets[i] ?? replicaBlobName(plan.itemKey, d.diskId),
      mode: 'full',
      pages: 0,
      bytesTotal: 0,
      marked: false,
    })),
    cursor: { disk: 0, page: 0, index: 0, offset: 0 },
    copied: false,
    bytesTotal: 0,
    bytesDone: 0,
    bytesRead: 0,
    bytesUploaded: 0,
    bytesCleared: 0,
    chunksHashed: 0,
    chunksUploaded: 0,
    chunksUnchanged: 0,
    steps: 0,
  };
}

/** The source disk of a cycle disk, as the site reads it. */
export const sourceOf = (disk: Pick<CycleDisk, 'diskId' | 'sizeBytes' | 'source'>): SourceDisk => ({ diskId: disk.diskId, sizeBytes: disk.sizeBytes, ...disk.source });

async function writePlan(ctx: EngineContext, state: CycleState, disk: CycleDisk, ranges: readonly ByteRange[]): Promise<void> {
  disk.pages = Math.ceil(ranges.length / PAGE_RANGES);
  disk.bytesTotal = totalBytes(ranges);
  for (let page = 0; page < disk.pages; page++) {
    const body = JSON.stringify(ranges.slice(page * PAGE_RANGES, (page + 1) * PAGE_RANGES).map((r) => [r.offset, r.length]));
    await ctx.target.upload(planPageName(state, disk, page), body);
  }
}

/** Plans every allocated chunk of the source, and every chunk the target holds when `withTarget`. */
async function planAllocated(ctx: EngineContext, state: CycleState, disk: CycleDisk, withTarget: boolean): Promise<void> {
  const ranges = [...(await ctx.source.allocatedRangesAt(sourceOf(disk))), ...(withTarget ? await ctx.target.disk(disk.targetBlob).allocatedRanges(disk.sizeBytes) : [])];
  await writePlan(ctx, state, disk, alignToChunks(mergeRanges(ranges), disk.sizeBytes));
}

/**
 * A full copy: every allocated chunk of the source, and every chunk the target still holds from
 * before (cleared by the copy, chunk by chunk under the cycle's lease, not here).
 */
async function planFull(ctx: EngineContext, state: CycleState, disk: CycleDisk): Promise<void> {
  disk.mode = 'full';
  const created = await prepareDisk(ctx.target, state, disk.targetBlob, disk.sizeBytes);
  if (created) disk.fresh = true;
  await planAllocated(ctx, state, disk, !created);
}

async function planHashCompare(ctx: EngineContext, state: CycleState, disk: CycleDisk): Promise<void> {
  disk.mode = 'hashCompare';
  await prepareDisk(ctx.target, state, disk.targetBlob, disk.sizeBytes);
  await planAllocated(ctx, state, disk, true);
}

function finalize(state: CycleState): CycleState {
  state.bytesTotal = state.disks.reduce((sum, d) => sum + d.bytesTotal, 0);
  state.copied = state.disks.every((d) => d.pages === 0);
  return state;
}

/** Plans the first full copy of a VM's disks into empty targets. */
export async function planInitialReplication(ctx: EngineContext, plan: PlanInitialOptions): Promise<CycleState> {
  const state = newState('initial', plan);
  for (const disk of state.disks) await planFull(ctx, state, disk);
  return finalize(state);
}

/** Plans a delta cycle from the previous point to a new checkpoint. */
export async function planDeltaCycle(ctx: EngineContext, plan: PlanDeltaOptions): Promise<CycleState> {
  const state = newState('delta', plan);
  const { checkpoint, previous } = plan;
  const changes =
    ctx.source.readChangeLog && checkpoint.vmId && checkpoint.seq >= previous.seq ? await ctx.source.readChangeLog(checkpoint.vmId, previous.seq, checkpoint.seq) : undefined;
  for (const disk of state.disks) {
    const before = previous.disks.find((d) => d.diskId === disk.diskId);
    if (!before || before.replicaBlob !== disk.targetBlob) {
      await planFull(ctx, state, disk);
      continue;
    }
    const info = await ctx.target.disk(disk.targetBlob).info();
    const dirty = info.cycleMark !== undefined && info.cycleMark !== state.cycleId;
    if (dirty || info.sizeBytes !== disk.sizeBytes) {
      await planHashCompare(ctx, state, disk);
      continue;
    }
    disk.baseManifest = before.manifestBlob;
    if (changes?.complete) {
      disk.mode = 'changeLog';
      await writePlan(ctx, state, disk, splitAtChunks(changes.disks[disk.diskId] ?? []));
    } else {
      disk.mode = 'pageRanges';
      const base = await ctx.manifests.load(ctx.target, before.manifestBlob);
      const baseRanges = [...base.chunks.keys()].map((chunk) => ({ offset: chunk * CHUNK_SIZE, length: CHUNK_SIZE }));
      const ranges = [...(await ctx.source.allocatedRangesAt(sourceOf(disk))), ...baseRanges];
      await writePlan(ctx, state, disk, alignToChunks(mergeRanges(ranges), disk.sizeBytes));
    }
  }
  return finalize(state);
}

/**
 * Plans a cycle with nothing to copy from a checkpoint without snapshots, which a site gives when no
 * write was made since the previous point (`SiteAdapter.unchangedSince`): the targets hold that
 * point, and the cycle only records them as the new one. Undefined when a disk needs more than the
 * change log (a disk new to the item, a target resized or holding a partly applied cycle): that
 * takes a real checkpoint, as `planDeltaCycle` would read one.
 */
export async function planQuietCycle(ctx: EngineContext, plan: PlanDeltaOptions): Promise<CycleState | undefined> {
  const { checkpoint, previous } = plan;
  if (checkpoint.seq !== previous.seq || checkpoint.disks.some((d) => d.snapshot)) return undefined;
  const state = newState('delta', plan);
  for (const disk of state.disks) {
    const before = previous.disks.find((d) => d.diskId === disk.diskId);
    if (!before || before.replicaBlob !== disk.targetBlob) return undefined;
    const info = await ctx.target.disk(disk.targetBlob).info();
    if ((info.cycleMark !== undefined && info.cycleMark !== state.cycleId) || info.sizeBytes !== disk.sizeBytes) return undefined;
    disk.baseManifest = before.manifestBlob;
    disk.mode = 'changeLog';
  }
  return finalize(state);
}

/** Plans a resync: every chunk of source and target compared by hash, only differing chunks copied. */
export async function planResync(ctx: EngineContext, plan: PlanResyncOptions): Promise<CycleState> {
  const state = newState('resync', plan);
  for (const disk of state.disks) await planHashCompare(ctx, state, disk);
  return finalize(state);
}
