/**
 * The replication engine: copies a VM's disks from source checkpoints into a target as bounded,
 * idempotent steps over a plain JSON state (`CycleState`), and cuts recovery points.
 *
 * plan (planCycle) → copyStep* (copyStep) → finish (finishCycle); points are checked by
 * verifyPoint and an item's data removed by deleteReplicas. The parts share the target and its
 * leases through cycleTarget. An engine is cheap: it binds a source, a target and the point store.
 */
import { compareWithSource, verifyCopyOfPoint, verifyRecoveryPoint, type Verification } from './verifyPoint.js';
import type { CycleState } from './cycleState.js';
import { copyStep } from './copyStep.js';
import { deleteReplicas, type DeleteReplicasOptions } from './deleteReplicas.js';
import type { DiskSource, SourceCheckpoint } from './diskSource.js';
import type { EngineContext } from './engineContext.js';
import { abandonCycle, finishCycle } from './finishCycle.js';
import { createManifestCache, type ManifestCache } from './manifestCache.js';
import { planDeltaCycle, planInitialReplication, planQuietCycle, planResync, type PlanDeltaOptions, type PlanInitialOptions, type PlanResyncOptions } from './planCycle.js';
import type { RecoveryPoint } from './recoveryPoint.js';
import type { RecoveryPointStore } from './recoveryPointStore.js';
import type { ReplicaTarget } from './replicaTarget.js';
import { withSpan } from '../tracing/withSpan.js';

export type { DeleteReplicasOptions } from './deleteReplicas.js';
export type { DiskVerification, Verification } from './verifyPoint.js';
export type { PlanDeltaOptions, PlanInitialOptions, PlanResyncOptions } from './planCycle.js';

const DEFAULT_BUDGET = 32 * 1024 * 1024;

export interface ReplicationEngineOptions {
  /** Where source disks are read: a site's checkpoints (and its change log, when it has one). */
  source: DiskSource;
  /** Where replicas (or, reversed, the original disks), manifests and plans are written. */
  target: ReplicaTarget;
  points: RecoveryPointStore;
  /** Manifests read back (default: a cache of the engine's own; the app shares one). */
  manifests?: ManifestCache;
  /** Reads/writes in flight per step (default 4). */
  concurrency?: number;
}

export interface ReplicationEngine {
  /** Plans the first full copy of a VM's disks into empty replicas. */
  planInitialReplication(options: PlanInitialOptions): Promise<CycleState>;
  /** Plans a delta cycle from the previous point to a new checkpoint. */
  planDeltaCycle(options: PlanDeltaOptions): Promise<CycleState>;
  /** Plans a cycle with nothing to copy from a checkpoint without snapshots; undefined when one is needed. */
  planQuietCycle(options: PlanDeltaOptions): Promise<CycleState | undefined>;
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
  /** Compares a checkpoint of a VM created from the point (read from the engine's source) with the point's manifests. */
  verifyCopyOfPoint(point: RecoveryPoint, copy: SourceCheckpoint): Promise<Verification>;
  /** Deletes an item's replicas (with snapshots), manifests and plans, at most maxBlobs per call; done when none is left. */
  deleteReplicas(itemKey: string, options?: DeleteReplicasOptions): Promise<{ done: boolean }>;
}

function cycleAttributes(state: CycleState): Record<string, string | number> {
  return { 'replication.cycle_id': state.cycleId, 'replication.kind': state.kind, 'replication.bytes_total': state.bytesTotal };
}

/** A planning or copy step in a span, which records where the cycle stands after it. */
function tracedCycle(name: string, attributes: Record<string, string | number>, work: () => Promise<CycleState>): Promise<CycleState> {
  return withSpan(name, { attributes }, async (span) => {
    const state = await work();
    span.setAttributes({ ...cycleAttributes(state), 'replication.bytes_done': state.bytesDone, 'replication.bytes_uploaded': state.bytesUploaded });
    return state;
  });
}

/** An engine whose planning, copy and finish steps (the storage-heavy work) are spans. */
export function createReplicationEngine(options: ReplicationEngineOptions): ReplicationEngine {
  const ctx: EngineContext = {
    source: options.source,
    target: options.target,
    points: options.points,
    manifests: options.manifests ?? createManifestCache(),
    concurrency: options.concurrency ?? 4,
  };
  return {
    planInitialReplication: (plan) => tracedCycle('replication.planInitial', {}, () => planInitialReplication(ctx, plan)),
    planDeltaCycle: (plan) => tracedCycle('replication.planDelta', {}, () => planDeltaCycle(ctx, plan)),
    planQuietCycle: (plan) => withSpan('replication.planQuiet', {}, () => planQuietCycle(ctx, plan)),
    planResync: (plan) => tracedCycle('replication.planResync', {}, () => planResync(ctx, plan)),
    copyStep: (state, budgetBytes = DEFAULT_BUDGET) => tracedCycle('replication.copy', cycleAttributes(state), () => copyStep(ctx, state, budgetBytes)),
    finishCycle: (state) =>
      withSpan('replication.finish', { attributes: cycleAttributes(state) }, async (span) => {
        const finished = await finishCycle(ctx, state);
        span.setAttributes({ 'replication.point_id': finished.point.id, 'replication.point_type': finished.point.type });
        return finished;
      }),
    abandonCycle: (state) => abandonCycle(ctx, state),
    verifyRecoveryPoint: (point) => verifyRecoveryPoint(ctx, point),
    compareWithSource: (point, source) => compareWithSource(ctx, point, source),
    verifyCopyOfPoint: (point, copy) => verifyCopyOfPoint(ctx, point, copy),
    deleteReplicas: (itemKey, deleteOptions) => deleteReplicas(ctx, itemKey, deleteOptions),
  };
}
