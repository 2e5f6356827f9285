/**
 * The replication chain of a protected item: a sequence of queue messages, each running one bounded
 * step of the current cycle (checkpoint + plan, copy a piece, finish the recovery point) and then
 * enqueueing the next, the first step of the next cycle delayed by the policy's interval. A cycle
 * with nothing to copy (an idle VM) is planned and finished by one message.
 *
 * Exactly one chain lives per item: every message carries the token the item row expects, every
 * step advances the token with an ETag-conditional write before enqueueing its successor, and a
 * message with another token is a stale duplicate and is dropped. A redelivered message (the
 * process died between the write and the enqueue) that carries the previous token re-sends the
 * current one, and a watchdog timer re-seeds chains that went quiet.
 */
import { randomUUID } from 'node:crypto';
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { pointRecorded } from '../domain/protectionMachine.js';
import { isSynchronizing } from '../domain/protectionState.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { RetryLaterError } from '../errors/RetryLaterError.js';
import { ensureError } from '../errors/ensureError.js';
import type { ReplicationPolicy } from '../infra/policyReader.js';
import type { Logger } from '../logging/logger.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { CycleEndedError } from '../replication/CycleEndedError.js';
import { copyPercent, type CycleState } from '../replication/cycleState.js';
import type { SourceCheckpoint } from '../replication/diskSource.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { abandonCycle, kickReplication, REPLICATION_CHECKPOINT_TAG } from './replicationControl.js';
import { replicationEndpoints } from './replicationEndpoints.js';
import { contextFromTraceparent, outsideTrace } from '../tracing/traceparent.js';
import { SpanKind, withSpan } from '../tracing/withSpan.js';
import { replicationMessageSchema, type ReplicationMessage } from './replicationQueue.js';

/** Bytes of source data one step processes at most. */
export const STEP_BUDGET_BYTES = 32 * 1024 * 1024;
/**
 * A replication checkpoint older than this is an orphan: no step runs longer than the function
 * timeout (10 minutes), so a concurrent planning step that took one has recorded or abandoned it by then.
 */
const ORPHAN_CHECKPOINT_AGE_MS = 12 * 60_000;

/** Where a chain step logs (narrower than a {@link Logger}). */
export interface ChainLog {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

function appConsistentDue(record: ProtectedItemRecord, policy: ReplicationPolicy, now: Date): boolean {
  const hours = policy.applicationConsistentSnapshotFrequencyInHours;
  if (!hours) return false;
  const last = record.replication.lastAppConsistentPointTime;
  return !last || now.getTime() - Date.parse(last) >= hours * 3600_000;
}

/** What one step decided: the record to write and how soon the next message should run. */
interface StepOutcome {
  record: ProtectedItemRecord;
  delayMs: number;
  /** Cleanup to run if the write loses its race (e.g. a checkpoint nobody will use). */
  onLost?: () => Promise<void>;
}

/** Delivery facts of the message being processed. */
export interface ChainDelivery {
  dequeueCount: number;
  /** The queue's `maxDequeueCount`: a message failing on that delivery would go to the poison queue. */
  maxDequeueCount?: number;
}

/**
 * How long a chain whose message failed its last delivery waits before its step is tried again:
 * long enough that an item whose steps keep failing costs little, well inside the watchdog's grace.
 */
const RESEED_DELAY_MS = 30_000;

/**
 * Runs one step of an item's replication chain for a queue message. Returns quietly for stale or
 * duplicate messages; throws for failures the queue should retry.
 */
export async function advanceReplication(deps: Deps, rawMessage: unknown, delivery: ChainDelivery, invocationLog: Logger, now: () => Date = () => new Date()): Promise<void> {
  const parsed = replicationMessageSchema.safeParse(rawMessage);
  if (!parsed.success) {
    invocationLog.warn('Dropped a malformed replication message.');
    return;
  }
  const message = parsed.data;
  const log = invocationLog.with({ vault: message.vault.vaultName, item: message.itemName });
  await withSpan(
    'replicateItem step',
    {
      kind: SpanKind.CONSUMER,
      parent: contextFromTraceparent(message.traceparent),
      attributes: { vault: message.vault.vaultName, item: message.itemName, 'replication.generation': message.generation, 'messaging.message.delivery_count': delivery.dequeueCount },
    },
    () => advance(deps, message, delivery, log, now),
  );
}

async function advance(deps: Deps, message: ReplicationMessage, delivery: ChainDelivery, log: ChainLog, now: () => Date): Promise<void> {
  const vault = message.vault;
  await deps.ready();
  const repository = deps.plane.repository;
  const partition = vaultPartition(vault);
  const name = [message.fabricName, message.containerName, message.itemName];
  const row = await repository.get<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, name);
  if (!row) return;
  const status = row.value.replication;
  if (!status.active || status.generation !== message.generation) return;
  if (status.token !== message.token) {
    if (status.previousToken === message.token && delivery.dequeueCount > 1 && status.resentFor !== message.token) {
      await resendSuccessor(deps, vault, row, message.token);
    }
    return;
  }

  const at = now();
  let outcome: StepOutcome;
  try {
    outcome = await runStep(deps, vault, row.value, at, log);
  } catch (error) {
    if (error instanceof CycleEndedError) {
      log.log(`Replication of ${row.value.friendlyName}: dropped a late step (${error.message}).`);
      return;
    }
    if (error instanceof RetryLaterError) {
      // Another writer holds the replica for a moment (a previous step's lease): try again shortly.
      await kickReplication(deps, vault, row.value, error.delayMs);
      return;
    }
    await recordCycleError(deps, row, error, at, log);
    if (delivery.maxDequeueCount !== undefined && delivery.dequeueCount >= delivery.maxDequeueCount) {
      // The chain must not end in the poison queue (its item would stop replicating until the
      // watchdog's grace ran out): this message goes, a fresh one for the same step tries again.
      log.warn(`Replication of ${row.value.friendlyName}: the step failed on its last delivery (${ensureError(error).message}); trying again in ${RESEED_DELAY_MS / 1000} s.`);
      await kickReplication(deps, vault, row.value, RESEED_DELAY_MS);
      return;
    }
    throw error;
  }
  const saved = await saveStep(deps, vault, row, outcome, message.token, at);
  if (!saved?.value.replication.active) return;
  const planned = saved.value.replication.cycle;
  if (!row.value.replication.cycle && planned?.copied) {
    await finishInline(deps, vault, saved, planned, message.token, log, now);
    return;
  }
  await sendNext(deps, vault, saved.value, outcome.delayMs);
}

/** Sends the chain's next message; the next cycle (sent with a delay) is a trace of its own, the steps of this cycle stay in this one. */
async function sendNext(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, delayMs: number): Promise<void> {
  if (delayMs > 0) await outsideTrace(() => kickReplication(deps, vault, record, delayMs));
  else await kickReplication(deps, vault, record, delayMs);
}

/**
 * Writes a step's record under a new token, conditional on the row the step ran from; `previousToken`
 * is the token of the message being processed (a redelivery of it re-sends the successor). Returns
 * the saved row, or undefined when the write lost its race (what follows is then settled here).
 */
async function saveStep(deps: Deps, vault: VaultRef, row: StoredRow<ProtectedItemRecord>, outcome: StepOutcome, previousToken: string, at: Date): Promise<StoredRow<ProtectedItemRecord> | undefined> {
  const repository = deps.plane.repository;
  const next: ProtectedItemRecord = {
    ...outcome.record,
    updatedAt: at.toISOString(),
    replication: { ...outcome.record.replication, previousToken, token: randomUUID(), touchedAt: at.toISOString() },
  };
  try {
    return await repository.replace(row, next);
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    const fresh = await repository.get<ProtectedItemRecord>(row.partition, PROTECTED_ITEM_ROW, [row.value.fabricName, row.value.containerName, row.value.name]);
    if (fresh && fresh.value.replication.token === next.replication.token) {
      // This step's write is the stored one (its answer was lost, or a writer since kept the token): the chain goes on.
      if (fresh.value.replication.active) await kickReplication(deps, vault, fresh.value, outcome.delayMs);
      return undefined;
    }
    // Someone changed the item meanwhile (a command, or a duplicate chain): their state wins.
    await outcome.onLost?.();
    if (fresh && fresh.value.replication.active && fresh.value.replication.generation === row.value.replication.generation && fresh.value.replication.token === row.value.replication.token) {
      throw error; // The same chain still expects this step: retry it from fresh state.
    }
    return undefined;
  }
}

/**
 * A planned cycle with nothing to copy (an idle VM) is finished by the invocation that planned it:
 * one message, one row read and one queue round trip less per cycle. Its write names the message's
 * token as the previous one (no message ever carried the planning write's token), so a redelivery
 * after a crash before the send re-sends the successor as for any step. When the finish fails, or
 * its write meets another change, the finish runs as a step of its own under the planning write's
 * token, with the retries, error records and late-step rules of any step.
 */
async function finishInline(deps: Deps, vault: VaultRef, planned: StoredRow<ProtectedItemRecord>, cycle: CycleState, messageToken: string, log: ChainLog, now: () => Date): Promise<void> {
  const at = now();
  let outcome: StepOutcome;
  try {
    outcome = await finishStep(deps, vault, planned.value, cycle, at, log);
  } catch (error) {
    log.log(`Replication of ${planned.value.friendlyName}: the finish of cycle ${cycle.cycleId} runs as a step of its own (${ensureError(error).message}).`);
    await kickReplication(deps, vault, planned.value);
    return;
  }
  let saved: StoredRow<ProtectedItemRecord> | undefined;
  try {
    saved = await saveStep(deps, vault, planned, outcome, messageToken, at);
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    // The row still expects the planning write's token (someone changed another field): the finish runs as its own step.
    const fresh = await deps.plane.repository.get<ProtectedItemRecord>(planned.partition, PROTECTED_ITEM_ROW, [planned.value.fabricName, planned.value.containerName, planned.value.name]);
    if (fresh?.value.replication.active) await kickReplication(deps, vault, fresh.value);
    return;
  }
  if (saved?.value.replication.active) await sendNext(deps, vault, saved.value, outcome.delayMs);
}

/**
 * The step a redelivered message ran was saved, but its successor may never have been sent (the
 * process died in between): it is sent again, once — the first redelivery to mark the row sends it,
 * so duplicates of the redelivery (and their own redeliveries) do not multiply the chain.
 */
async function resendSuccessor(deps: Deps, vault: VaultRef, row: StoredRow<ProtectedItemRecord>, token: string): Promise<void> {
  let saved: StoredRow<ProtectedItemRecord>;
  try {
    saved = await deps.plane.repository.replace(row, { ...row.value, replication: { ...row.value.replication, resentFor: token } });
  } catch (error) {
    if (error instanceof ConcurrencyError) return; // The chain advanced meanwhile, or another redelivery marked it.
    throw error;
  }
  await kickReplication(deps, vault, saved.value);
}

/** Records a failed step on the item for operators; if that write loses too, the next step or the watchdog reports it. */
async function recordCycleError(deps: Deps, row: StoredRow<ProtectedItemRecord>, error: unknown, at: Date, log: ChainLog): Promise<void> {
  const message = ensureError(error).message;
  try {
    await deps.plane.repository.replace(row, {
      ...row.value,
      replication: { ...row.value.replication, lastCycleError: { code: 'ReplicationCycleFailed', message: message.slice(0, 500), time: at.toISOString() } },
    });
  } catch (recordError) {
    log.warn(`Replication of ${row.value.friendlyName}: the failed step could not be recorded on the item (${ensureError(recordError).message}).`);
  }
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

/** Checkpoints the source and plans the next cycle (full, delta or resync). */
async function planStep(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, at: Date, log: ChainLog): Promise<StepOutcome> {
  const status = record.replication;
  const ends = replicationEndpoints(deps, vault, record);
  const policy = await loadPolicy(deps, vault, record.policyName);
  // The first cycle creates the target; after a point it holds that point's replicas.
  if (!status.lastPointId) await ends.target.ensure();
  // No cycle is in progress: a replication checkpoint older than any planning step is one a crash or
  // a lost answer left behind. Swept once per orphan age (a listing of the VM's snapshots), not every cycle.
  const sweepDue = !status.checkpointsSweptAt || at.getTime() - Date.parse(status.checkpointsSweptAt) >= ORPHAN_CHECKPOINT_AGE_MS;
  if (sweepDue) await ends.source.deleteCheckpoints(ends.sourceVmId, REPLICATION_CHECKPOINT_TAG, new Date(at.getTime() - ORPHAN_CHECKPOINT_AGE_MS));
  const checkpoint = await ends.source.checkpoint(ends.sourceVmId, { applicationConsistent: appConsistentDue(record, policy, at), tag: REPLICATION_CHECKPOINT_TAG });
  const source: SourceCheckpoint = {
    vmId: checkpoint.vmId,
    time: checkpoint.time,
    seq: checkpoint.seq,
    applicationConsistent: checkpoint.applicationConsistent,
    disks: checkpoint.disks.filter((d) => record.disks.some((p) => p.diskId === d.diskId)),
  };
  const plan = { itemKey: ends.pointsKey, checkpoint: source, ...(ends.targets ? { targets: ends.targets } : {}), ...(ends.leaseId ? { leaseId: ends.leaseId } : {}) };
  const previous = await latestPoint(deps, status, ends.pointsKey);
  let planned: CycleState;
  if (status.pendingResync || (status.lastPointId && !previous)) planned = await ends.engine.planResync(plan);
  else if (!previous) planned = await ends.engine.planInitialReplication(plan);
  else planned = await ends.engine.planDeltaCycle({ ...plan, previous });
  log.log(`Replication of ${record.friendlyName}: ${planned.kind} cycle ${planned.cycleId} planned (${planned.bytesTotal} bytes).`);
  return {
    record: {
      ...record,
      replication: {
        ...status,
        cycle: planned,
        cycleIntervalSeconds: policy.replicationInterval,
        pendingResync: undefined,
        ...(sweepDue ? { checkpointsSweptAt: at.toISOString() } : {}),
      },
    },
    delayMs: 0,
    onLost: () => abandonCycle(deps, vault, record, planned),
  };
}

/** Records the cycle's point; the item reports it to its machine (initial replication or resync may be complete). */
async function finishStep(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, cycle: CycleState, at: Date, log: ChainLog): Promise<StepOutcome> {
  const status = record.replication;
  const ends = replicationEndpoints(deps, vault, record);
  const { point, state: finished } = await ends.engine.finishCycle(cycle);
  await ends.source.deleteCheckpoint({
    disks: finished.disks.map((d) => ({ diskId: d.diskId, sizeBytes: d.sizeBytes, container: d.source.container, blobName: d.source.blobName, snapshot: d.source.snapshot })),
  });
  const intervalSeconds = status.cycleIntervalSeconds ?? (await loadPolicy(deps, vault, record.policyName)).replicationInterval;
  const startedAt = Date.parse(cycle.time);
  const wanted = status.pointWantedBy;
  const stillWanted = wanted !== undefined && Date.parse(point.time) < Date.parse(wanted);
  const nextCycleAt = stillWanted ? at.toISOString() : new Date(Math.max(at.getTime(), startedAt + intervalSeconds * 1000)).toISOString();
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

async function runStep(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, at: Date, log: ChainLog): Promise<StepOutcome> {
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
