/**
 * The replication chain of a protected item: a sequence of queue messages, each running one bounded
 * step of the current cycle (checkpoint + plan, copy a piece, finish the recovery point) and then
 * enqueueing the next, the first step of the next cycle delayed by the policy's interval. A cycle
 * whose copy fits one step (a busy VM's delta) or has nothing to copy (an idle VM's) is planned,
 * copied and finished by one message.
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
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { RetryLaterError } from '../errors/RetryLaterError.js';
import { ensureError } from '../errors/ensureError.js';
import type { Logger } from '../logging/logger.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { CycleEndedError } from '../replication/CycleEndedError.js';
import { runStep, type ChainLog, type StepOutcome } from './chainSteps.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { kickReplication } from './replicationControl.js';
import { contextFromTraceparent, outsideTrace } from '../tracing/traceparent.js';
import { SpanKind, withSpan } from '../tracing/withSpan.js';
import { replicationMessageSchema, type ReplicationMessage } from './replicationQueue.js';

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
  if (!row.value.replication.cycle && saved.value.replication.cycle) {
    await continueInline(deps, vault, saved, message.token, log, now);
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

/** Copy steps the invocation that planned a cycle runs itself before the chain goes on by messages. */
const INLINE_COPY_STEPS = 1;

/**
 * A freshly planned cycle is carried on by the invocation that planned it: one copy step (a busy
 * VM's delta fits one; an idle VM's has nothing to copy) and, when that copied everything, the
 * finish — two messages, two row reads and two queue round trips less per cycle. Each step is
 * written as a step of its own would be, naming the message's token as the previous one (no message
 * ever carried the inline writes' tokens), so a redelivery after a crash re-sends the successor as
 * for any step. When a step fails, or its write meets another change, it runs as a step of its own
 * under the last written token, with the retries, error records and late-step rules of any step.
 */
async function continueInline(deps: Deps, vault: VaultRef, planned: StoredRow<ProtectedItemRecord>, messageToken: string, log: ChainLog, now: () => Date): Promise<void> {
  let current = planned;
  for (let copies = 0; ; ) {
    const cycle = current.value.replication.cycle;
    if (!cycle) return;
    if (!cycle.copied && copies++ === INLINE_COPY_STEPS) {
      await sendNext(deps, vault, current.value, 0);
      return;
    }
    const at = now();
    let outcome: StepOutcome;
    try {
      outcome = await runStep(deps, vault, current.value, at, log);
    } catch (error) {
      log.log(`Replication of ${current.value.friendlyName}: the ${cycle.copied ? 'finish' : 'copy'} of cycle ${cycle.cycleId} runs as a step of its own (${ensureError(error).message}).`);
      await kickReplication(deps, vault, current.value);
      return;
    }
    let saved: StoredRow<ProtectedItemRecord> | undefined;
    try {
      saved = await saveStep(deps, vault, current, outcome, messageToken, at);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      // The row still expects the last inline write's token (someone changed another field): the step runs as its own.
      const fresh = await deps.plane.repository.get<ProtectedItemRecord>(current.partition, PROTECTED_ITEM_ROW, [current.value.fabricName, current.value.containerName, current.value.name]);
      if (fresh?.value.replication.active) await kickReplication(deps, vault, fresh.value);
      return;
    }
    if (!saved?.value.replication.active) return;
    if (!saved.value.replication.cycle) {
      await sendNext(deps, vault, saved.value, outcome.delayMs);
      return;
    }
    current = saved;
  }
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
