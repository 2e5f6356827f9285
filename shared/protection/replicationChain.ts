/**
 * The replication chain of a protected item: a sequence of queue messages, each running one bounded
 * step of the current cycle (checkpoint + plan, copy a piece, finish the recovery point) and then
 * enqueueing the next, the first step of the next cycle delayed by the policy's interval.
 *
 * Exactly one chain lives per item: every message carries the token the item row expects, every
 * step advances the token with an ETag-conditional write before enqueueing its successor, and a
 * message with another token is a stale duplicate and is dropped. A redelivered message (the
 * process died between the write and the enqueue) that carries the previous token re-sends the
 * current one, and a watchdog timer re-seeds chains that went quiet.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { VaultRef } from '../arm/resourceId.js';
import { transition, type ProtectionEvent } from '../domain/protectionMachine.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import type { PolicyRecord } from '../infra/policies.js';
import { ROW } from '../infra/rowKinds.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { CycleState } from '../replication/cycleState.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';
import { ReplicaBusyError } from '../replication/ReplicaBusyError.js';
import type { SourceCheckpoint } from '../replication/replicationEngine.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { replicationEndpoints } from './replicationEndpoints.js';
import type { ProtectionServices } from './protectionServices.js';

/** Bytes of source data one step processes at most. */
export const STEP_BUDGET_BYTES = 32 * 1024 * 1024;

export const replicationMessageSchema = z.object({
  type: z.literal('replicate'),
  vault: z.object({ subscriptionId: z.string(), resourceGroupName: z.string(), vaultName: z.string() }),
  fabricName: z.string(),
  containerName: z.string(),
  itemName: z.string(),
  generation: z.number().int().nonnegative(),
  token: z.string(),
});

export type ReplicationMessage = z.infer<typeof replicationMessageSchema>;

export interface ChainLog {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

/** Starts (or restarts) replication in the item's current direction. Pure. */
export function beginReplication(record: ProtectedItemRecord, now: Date, options: { resync?: boolean } = {}): ProtectedItemRecord {
  const at = now.toISOString();
  const previous = record.replication;
  return {
    ...record,
    replication: {
      ...previous,
      generation: (previous?.generation ?? 0) + 1,
      token: randomUUID(),
      previousToken: undefined,
      active: true,
      cycle: undefined,
      nextCycleAt: at,
      touchedAt: at,
      startedAt: options.resync && previous?.startedAt ? previous.startedAt : at,
      pendingResync: options.resync ? true : undefined,
      initialReplicationPercent: options.resync ? previous?.initialReplicationPercent : 0,
      lastCycleError: undefined,
    },
  };
}

/** Stops replication: in-flight messages become stale. Pure. The caller abandons `cycle` if set. */
export function stopReplication(record: ProtectedItemRecord, now: Date): ProtectedItemRecord {
  return {
    ...record,
    replication: {
      ...record.replication,
      generation: record.replication.generation + 1,
      token: randomUUID(),
      previousToken: undefined,
      active: false,
      cycle: undefined,
      touchedAt: now.toISOString(),
    },
  };
}

function messageFor(vault: VaultRef, record: ProtectedItemRecord): ReplicationMessage {
  return {
    type: 'replicate',
    vault: { subscriptionId: vault.subscriptionId, resourceGroupName: vault.resourceGroupName, vaultName: vault.vaultName },
    fabricName: record.fabricName,
    containerName: record.containerName,
    itemName: record.name,
    generation: record.replication.generation,
    token: record.replication.token,
  };
}

/** Enqueues the chain message for the record's current token (after the row was written). */
export async function kickReplication(services: ProtectionServices, vault: VaultRef, record: ProtectedItemRecord, delayMs = 0): Promise<void> {
  await services.ready();
  const text = Buffer.from(JSON.stringify(messageFor(vault, record)), 'utf8').toString('base64');
  // Queue visibility is capped at 7 days; cycles are due far sooner.
  const seconds = Math.min(Math.ceil(Math.max(0, delayMs) / 1000), 7 * 24 * 3600);
  await services.replicationQueue.sendMessage(text, { visibilityTimeout: seconds });
}

function applyOutcome(record: ProtectedItemRecord, event: ProtectionEvent): ProtectedItemRecord {
  const result = transition(record.state, event);
  return result.ok ? { ...record, state: result.next } : record;
}

const sourceCheckpointOf = (cycle: CycleState): Pick<SourceCheckpoint, 'disks'> => ({
  disks: cycle.disks.map((d) => ({ diskId: d.diskId, sizeBytes: d.sizeBytes, container: d.source.container, blobName: d.source.blobName, snapshot: d.source.snapshot })),
});

function appConsistentDue(record: ProtectedItemRecord, policy: PolicyRecord, now: Date): boolean {
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

/**
 * Runs one step of an item's replication chain for a queue message. Returns quietly for stale or
 * duplicate messages; throws for failures the queue should retry.
 */
export async function advanceReplication(
  services: ProtectionServices,
  rawMessage: unknown,
  delivery: { dequeueCount: number },
  log: ChainLog,
  now: () => Date = () => new Date(),
): Promise<void> {
  const parsed = replicationMessageSchema.safeParse(rawMessage);
  if (!parsed.success) {
    log.warn('Dropped a malformed replication message.');
    return;
  }
  const message = parsed.data;
  const vault = message.vault;
  await services.ready();
  const partition = vaultPartition(vault);
  const name = [message.fabricName, message.containerName, message.itemName];
  const row = await services.plane.repository.get<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, name);
  if (!row) return;
  const status = row.value.replication;
  if (!status.active || status.generation !== message.generation) return;
  if (status.token !== message.token) {
    if (status.previousToken === message.token && delivery.dequeueCount > 1) {
      // The step this message ran was saved but its successor may never have been sent.
      await kickReplication(services, vault, row.value);
    }
    return;
  }

  const at = now();
  let outcome: StepOutcome;
  try {
    outcome = await runStep(services, vault, row.value, at, log);
  } catch (error) {
    if (error instanceof ReplicaBusyError) {
      // Another writer holds the replica for a moment (a previous step's lease): try again shortly.
      await kickReplication(services, vault, row.value, 5_000);
      return;
    }
    await recordCycleError(services, row, error, at);
    throw error;
  }
  const token = randomUUID();
  const next: ProtectedItemRecord = {
    ...outcome.record,
    updatedAt: at.toISOString(),
    replication: { ...outcome.record.replication, previousToken: message.token, token, touchedAt: at.toISOString(), lastCycleError: outcome.record.replication.lastCycleError },
  };
  let saved: StoredRow<ProtectedItemRecord>;
  try {
    saved = await services.plane.repository.replace(row, next);
  } catch (error) {
    if (error instanceof ConcurrencyError) {
      // Someone changed the item meanwhile (a command, or a duplicate chain): their state wins.
      await outcome.onLost?.();
      const fresh = await services.plane.repository.get<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, name);
      if (fresh && fresh.value.replication.active && fresh.value.replication.generation === message.generation && fresh.value.replication.token === message.token) {
        throw error; // Same chain still expects this message: retry the step from fresh state.
      }
      return;
    }
    throw error;
  }
  if (saved.value.replication.active) await kickReplication(services, vault, saved.value, outcome.delayMs);
}

async function recordCycleError(services: ProtectionServices, row: StoredRow<ProtectedItemRecord>, error: unknown, at: Date): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  try {
    await services.plane.repository.replace(row, {
      ...row.value,
      replication: { ...row.value.replication, lastCycleError: { code: 'ReplicationCycleFailed', message: message.slice(0, 500), time: at.toISOString() } },
    });
  } catch {
    // Best effort: the error is reported by the next step or the watchdog.
  }
}

async function loadPolicy(services: ProtectionServices, vault: VaultRef, policyName: string): Promise<PolicyRecord> {
  const row = await services.plane.repository.get<PolicyRecord>(vaultPartition(vault), ROW.policy, policyName);
  if (!row) throw new Error(`The replication policy '${policyName}' no longer exists.`);
  return row.value;
}

async function runStep(services: ProtectionServices, vault: VaultRef, record: ProtectedItemRecord, at: Date, log: ChainLog): Promise<StepOutcome> {
  const status = record.replication;
  const ends = replicationEndpoints(services, vault, record);
  const engine = ends.engine;
  const cycle = status.cycle;

  if (!cycle) {
    const dueIn = status.nextCycleAt ? Date.parse(status.nextCycleAt) - at.getTime() : 0;
    if (dueIn > 1000) return { record, delayMs: dueIn };
    const policy = await loadPolicy(services, vault, record.policyName);
    await ends.ensureTarget();
    const checkpoint = await ends.source.checkpoint(ends.sourceVmId, { applicationConsistent: appConsistentDue(record, policy, at) });
    const source: SourceCheckpoint = {
      vmId: checkpoint.vmId,
      time: checkpoint.time,
      seq: checkpoint.seq,
      applicationConsistent: checkpoint.applicationConsistent,
      disks: checkpoint.disks.filter((d) => record.disks.some((p) => p.diskId === d.diskId)),
    };
    const plan = {
      itemKey: ends.pointsKey,
      checkpoint: source,
      ...(ends.targets ? { targets: ends.targets } : {}),
      ...(ends.leaseId ? { leaseId: ends.leaseId } : {}),
    };
    const previous: RecoveryPoint | undefined = status.lastPointId ? await services.points.get(ends.pointsKey, status.lastPointId) : undefined;
    let planned: CycleState;
    if (status.pendingResync || (status.lastPointId && !previous)) planned = await engine.planResync(plan);
    else if (!previous) planned = await engine.planInitialReplication(plan);
    else planned = await engine.planDeltaCycle({ ...plan, previous });
    log.log(`Replication of ${record.friendlyName}: ${planned.kind} cycle ${planned.cycleId} planned (${planned.bytesTotal} bytes).`);
    return {
      record: { ...record, replication: { ...status, cycle: planned, pendingResync: undefined } },
      delayMs: 0,
      onLost: async () => {
        await engine.abandonCycle(planned);
        await ends.source.deleteCheckpoint(sourceCheckpointOf(planned));
      },
    };
  }

  if (!cycle.copied) {
    const stepped = await engine.copyStep(cycle, STEP_BUDGET_BYTES);
    const percent = stepped.bytesTotal === 0 ? 99 : Math.min(99, Math.floor((stepped.bytesDone / stepped.bytesTotal) * 100));
    const replication = { ...status, cycle: stepped };
    if (record.state.protectionState === 'InitialReplicationInProgress' || record.state.protectionState === 'ResynchronizationInProgress') {
      replication.initialReplicationPercent = percent;
    }
    return { record: { ...record, replication }, delayMs: 0 };
  }

  const { point, state: finished } = await engine.finishCycle(cycle);
  await ends.source.deleteCheckpoint(sourceCheckpointOf(finished));
  const policy = await loadPolicy(services, vault, record.policyName);
  const startedAt = Date.parse(cycle.time);
  const wanted = status.pointWantedBy;
  const stillWanted = wanted !== undefined && Date.parse(point.time) < Date.parse(wanted);
  let next: ProtectedItemRecord = {
    ...record,
    replication: {
      ...status,
      cycle: undefined,
      lastSeq: point.seq,
      lastPointId: point.id,
      lastPointTime: point.time,
      lastReplicatedTime: at.toISOString(),
      lastAppConsistentPointTime: point.type === 'ApplicationConsistent' ? point.time : status.lastAppConsistentPointTime,
      nextCycleAt: stillWanted ? at.toISOString() : new Date(Math.max(at.getTime(), startedAt + policy.replicationInterval * 1000)).toISOString(),
      pointWantedBy: stillWanted ? wanted : undefined,
      lastCycle: { kind: finished.kind, bytesUploaded: finished.bytesUploaded, bytesTotal: finished.bytesTotal, durationMs: at.getTime() - startedAt },
      lastCycleError: undefined,
    },
  };
  if (next.state.protectionState === 'InitialReplicationInProgress') {
    next = applyOutcome(next, { type: 'InitialReplicationCompleted' });
    next.replication.initialReplicationPercent = 100;
  } else if (next.state.protectionState === 'ResynchronizationInProgress') {
    next = applyOutcome(next, { type: 'ResynchronizationCompleted' });
    next.replication.initialReplicationPercent = 100;
  }
  log.log(`Replication of ${record.friendlyName}: recovery point ${point.id} (${point.type}) recorded; ${finished.bytesUploaded} bytes uploaded.`);
  return { record: next, delayMs: Math.max(0, Date.parse(next.replication.nextCycleAt!) - at.getTime()) };
}

