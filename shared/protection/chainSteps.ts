/**
 * The steps of an item's replication chain, each deciding the record to write next: plan a cycle
 * (checkpoint the source, plan full, delta or resync), copy a piece of it, finish its recovery point.
 * Writing the record and sending the next message is the chain's (`replicationChain.ts`).
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { pointRecorded } from '../domain/protectionMachine.js';
import { isSynchronizing } from '../domain/protectionState.js';
import type { ReplicationPolicy } from '../infra/policyReader.js';
import { copyPercent, type CycleState } from '../replication/cycleState.js';
import type { SourceCheckpoint } from '../replication/diskSource.js';
import type { Checkpoint } from '../site/types.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';
import type { ProtectedItemRecord } from './protectedItemRecord.js';
import { abandonCycle, deleteCycleCheckpoint, REPLICATION_CHECKPOINT_TAG } from './replicationControl.js';
import { replicationEndpoints } from './replicationEndpoints.js';

/** Bytes of source data one step processes at most. */
const STEP_BUDGET_BYTES = 32 * 1024 * 1024;
/**
 * A replication checkpoint older than this is an orphan: no step runs longer than the function
 * timeout (10 minutes), so a concurrent planning step that took one has recorded or abandoned it by then.
 */
const ORPHAN_CHECKPOINT_AGE_MS = 12 * 60_000;

/** Where a chain step logs (narrower than the service's Logger). */
export interface ChainLog {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

/** What one step decided: the record to write and how soon the next message should run. */
export interface StepOutcome {
  record: ProtectedItemRecord;
  delayMs: number;
  /** Cleanup to run if the write loses its race (e.g. a checkpoint nobody will use). */
  onLost?: () => Promise<void>;
}

function appConsistentDue(record: ProtectedItemRecord, policy: ReplicationPolicy, now: Date): boolean {
  const hours = policy.applicationConsistentSnapshotFrequencyInHours;
  if (!hours) return false;
  const last = record.replication.lastAppConsistentPointTime;
  return !last || now.getTime() - Date.parse(last) >= hours * 3600_000;
}

async function loadPolicy(deps: Deps, vault: VaultRef, policyName: string): Promise<ReplicationPolicy> {
  const policy = await deps.policies.get(vault, policyName);
  if (!policy) throw new Error(`The replication policy '${policyName}' no longer exists.`);
  return policy;
}

/** The item's latest point: the one its record carries, else (an older record, or another direction's points) from the store. */
async function latestPoint(deps: Deps, status: ProtectedItemRecord['replication'], pointsKey: string): Promise<RecoveryPoint | undefined> {
  if (!status.lastPointId) return undefined;
  const carried = status.lastPoint;
  if (carried?.id === status.lastPointId && carried.itemKey === pointsKey) return carried;
  return deps.points.get(pointsKey, status.lastPointId);
}

/** Checkpoints the source (unless nothing was written since the previous point) and plans the next cycle (full, delta, quiet or resync). */
export async function planStep(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, at: Date, log: ChainLog): Promise<StepOutcome> {
  const status = record.replication;
  const ends = replicationEndpoints(deps, vault, record);
  const policy = await loadPolicy(deps, vault, record.policyName);
  // The first cycle creates the target; after a point it holds that point's replicas.
  if (!status.lastPointId) await ends.target.ensure();
  // No cycle is in progress: a replication checkpoint older than any planning step is one a crash or
  // a lost answer left behind. Swept once per orphan age (a listing of the VM's snapshots), not every cycle.
  const sweepDue = !status.checkpointsSweptAt || at.getTime() - Date.parse(status.checkpointsSweptAt) >= ORPHAN_CHECKPOINT_AGE_MS;
  if (sweepDue) await ends.source.deleteCheckpoints(ends.sourceVmId, REPLICATION_CHECKPOINT_TAG, new Date(at.getTime() - ORPHAN_CHECKPOINT_AGE_MS));
  const planFrom = (checkpoint: Checkpoint) => {
    const source: SourceCheckpoint = {
      vmId: checkpoint.vmId,
      time: checkpoint.time,
      seq: checkpoint.seq,
      applicationConsistent: checkpoint.applicationConsistent,
      disks: checkpoint.disks.filter((d) => record.disks.some((p) => p.diskId === d.diskId)),
    };
    return { itemKey: ends.pointsKey, checkpoint: source, ...(ends.targets ? { targets: ends.targets } : {}), ...(ends.leaseId ? { leaseId: ends.leaseId } : {}) };
  };
  const previous = await latestPoint(deps, status, ends.pointsKey);
  const applicationConsistent = appConsistentDue(record, policy, at);
  // Nothing written since the previous point: the cycle records the replicas as they are, without
  // holding the VM's writes or snapshotting its disks.
  let planned: CycleState | undefined;
  if (previous && !status.pendingResync && !applicationConsistent && ends.source.unchangedSince) {
    const unchanged = await ends.source.unchangedSince(ends.sourceVmId, previous.seq);
    if (unchanged) planned = await ends.engine.planQuietCycle({ ...planFrom(unchanged), previous });
  }
  if (!planned) {
    const plan = planFrom(await ends.source.checkpoint(ends.sourceVmId, { applicationConsistent, tag: REPLICATION_CHECKPOINT_TAG }));
    if (status.pendingResync || (status.lastPointId && !previous)) planned = await ends.engine.planResync(plan);
    else if (!previous) planned = await ends.engine.planInitialReplication(plan);
    else planned = await ends.engine.planDeltaCycle({ ...plan, previous });
  }
  const cycle = planned;
  log.log(`Replication of ${record.friendlyName}: ${cycle.kind} cycle ${cycle.cycleId} planned (${cycle.bytesTotal} bytes).`);
  return {
    record: {
      ...record,
      replication: {
        ...status,
        cycle,
        cycleIntervalSeconds: policy.replicationInterval,
        pendingResync: undefined,
        ...(sweepDue ? { checkpointsSweptAt: at.toISOString() } : {}),
      },
    },
    delayMs: 0,
    onLost: () => abandonCycle(deps, vault, record, cycle),
  };
}

/**
 * How long after it was due this cycle's checkpoint was taken (the queue's delivery of the delayed
 * message and the planning reads), at most half an interval: the next cycle is due that much
 * earlier, so recovery points are the policy's interval apart rather than interval + lag.
 */
function planLagMs(status: ProtectedItemRecord['replication'], checkpointAt: number, intervalSeconds: number): number {
  if (!status.nextCycleAt) return 0;
  const lag = checkpointAt - Date.parse(status.nextCycleAt);
  return Math.min(Math.max(0, lag), (intervalSeconds * 1000) / 2);
}

/** Records the cycle's point; the item reports it to its machine (initial replication or resync may be complete). */
export async function finishStep(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, cycle: CycleState, at: Date, log: ChainLog): Promise<StepOutcome> {
  const status = record.replication;
  const ends = replicationEndpoints(deps, vault, record);
  const { point, state: finished } = await ends.engine.finishCycle(cycle);
  await deleteCycleCheckpoint(ends.source, finished);
  const intervalSeconds = status.cycleIntervalSeconds ?? (await loadPolicy(deps, vault, record.policyName)).replicationInterval;
  const startedAt = Date.parse(cycle.time);
  const wanted = status.pointWantedBy;
  const stillWanted = wanted !== undefined && Date.parse(point.time) < Date.parse(wanted);
  const nextCycleAt = stillWanted ? at.toISOString() : new Date(Math.max(at.getTime(), startedAt + intervalSeconds * 1000 - planLagMs(status, startedAt, intervalSeconds))).toISOString();
  const synchronized = isSynchronizing(record.state);
  const next: ProtectedItemRecord = {
    ...record,
    // A disk added to protection is Protected once a point holds it.
    disks: record.disks.map((disk) => (disk.awaitingFirstCopy && point.disks.some((held) => held.diskId === disk.diskId) ? { ...disk, awaitingFirstCopy: undefined } : disk)),
    state: pointRecorded(record.state),
    replication: {
      ...status,
      cycle: undefined,
      cycleIntervalSeconds: undefined,
      lastSeq: point.seq,
      lastPointId: point.id,
      lastPoint: { id: point.id, itemKey: point.itemKey, time: point.time, type: point.type, seq: point.seq, disks: point.disks },
      lastPointTime: point.time,
      lastReplicatedTime: at.toISOString(),
      lastAppConsistentPointTime: point.type === 'ApplicationConsistent' ? point.time : status.lastAppConsistentPointTime,
      nextCycleAt,
      pointWantedBy: stillWanted ? wanted : undefined,
      lastCycle: { kind: finished.kind, bytesUploaded: finished.bytesUploaded, bytesTotal: finished.bytesTotal, durationMs: at.getTime() - startedAt },
      lastCycleError: undefined,
      ...(synchronized ? { initialReplicationPercent: 100 } : {}),
    },
  };
  log.log(`Replication of ${record.friendlyName}: recovery point ${point.id} (${point.type}) recorded; ${finished.bytesUploaded} bytes uploaded.`);
  return { record: next, delayMs: Math.max(0, Date.parse(nextCycleAt) - at.getTime()) };
}

export async function runStep(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, at: Date, log: ChainLog): Promise<StepOutcome> {
  const status = record.replication;
  const cycle = status.cycle;
  if (!cycle) {
    const dueIn = status.nextCycleAt ? Date.parse(status.nextCycleAt) - at.getTime() : 0;
    if (dueIn > 1000) return { record, delayMs: dueIn };
    return planStep(deps, vault, record, at, log);
  }
  if (!cycle.copied) {
    const stepped = await replicationEndpoints(deps, vault, record).engine.copyStep(cycle, STEP_BUDGET_BYTES);
    const replication = { ...status, cycle: stepped, ...(isSynchronizing(record.state) ? { initialReplicationPercent: copyPercent(stepped) } : {}) };
    return { record: { ...record, replication }, delayMs: 0 };
  }
  return finishStep(deps, vault, record, cycle, at, log);
}
