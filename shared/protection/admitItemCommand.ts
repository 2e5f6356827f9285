/**
 * Admitting a command on a protected item: the state machine allows it, no other operation holds
 * the item, and the item row (next state, the effects applied with it, `currentScenario` = the job)
 * and the command's job (carrying the machine's plan) are written in one ETag-conditional
 * transaction, so of two racing commands exactly one wins. A retry of the same request (same client
 * request id) gets the job the first one started.
 */
import { vaultChildId } from '../arm/resourceId.js';
import { scenarioIsOver, scenariosTakenOverBy, type SettingsUpdate } from '../domain/itemScenarios.js';
import { transition, type Rejection } from '../domain/protectionMachine.js';
import type { CommandEvent } from '../domain/protectionEvents.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import type { Job } from '../jobs/jobModel.js';
import { ensureJobStarted, submitJob } from '../jobs/submitJob.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ItemJobInput } from './itemJobInput.js';
import { itemPathOf, itemRowName, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { jobIdForRequest, newItemJob, type ItemJobSpec } from './itemJobSpec.js';
import { recordFinishedJob } from './recordFinishedJob.js';
import { applyRecordEffects, interruptsCycle } from './recordEffects.js';

/** 409 `OperationInProgress` when another operation holds the item, unless its scenario is one of `takesOver` or over. */
export function assertNoOperationInProgress(record: ProtectedItemRecord, takesOver: ReadonlySet<string>): void {
  const current = record.currentScenario;
  if (!current) return;
  if (takesOver.has(current.scenarioName) || scenarioIsOver(record.state, current.scenarioName)) return;
  throw new HttpError(
    409,
    'OperationInProgress',
    `The operation '${current.scenarioName}' (job ${current.jobId}) is in progress on replication protected item ${JSON.stringify(record.name)}; retry when it has finished.`,
  );
}

/** The 409 for a command the machine refuses: naming the operations the state allows, or the field in the wrong direction. */
export function machineRejection(rejection: Rejection): HttpError {
  if (rejection.kind === 'wrongDirection') return new HttpError(409, 'OperationNotAllowed', rejection.reason, undefined, rejection.field);
  const allowed = rejection.allowedOperations;
  return new HttpError(
    409,
    'OperationNotAllowed',
    `${rejection.reason} Allowed operations: ${allowed.length ? allowed.join(', ') : 'none'}.`,
    allowed.map((operation) => ({ code: 'AllowedOperation', message: operation, target: 'allowedOperations' })),
  );
}

/** A command on an item: the machine event it is (none for a settings update), its job, and what else it changes on the item. */
export interface ItemCommand {
  event: CommandEvent | SettingsUpdate;
  job: ItemJobSpec;
  /** The request's client request id: a retry of the same request gets the job it already started. */
  clientRequestId?: string;
  /** The item after admission, beyond the state machine's (e.g. new recovery settings). */
  apply?(record: ProtectedItemRecord): ProtectedItemRecord;
}

/** Attempts at admitting a command when the item keeps changing under it (replication writes it every step). */
const ADMISSION_ATTEMPTS = 5;

/** The item's row changed between reading and writing it. */
class RowChanged extends Error {
  override readonly name = 'RowChanged';
}

/**
 * Admits a command on an item row read earlier: 409 when the machine refuses it or another
 * operation holds the item; otherwise writes the item and the job in one transaction conditional on
 * the row's ETag, and enqueues the job. When the row changed meanwhile (replication advanced it, or
 * another command won), the command is judged again on the fresh row: against another command it
 * then gets that command's 409; a retry of the same request gets the job it started.
 */
export async function admitItemCommand(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  row: StoredRow<ProtectedItemRecord>,
  command: ItemCommand,
  now = new Date(),
): Promise<{ job: Job; record: ProtectedItemRecord }> {
  let current = row;
  for (let attempt = 1; ; attempt++) {
    try {
      return await admitOnce(plane, current, command, now);
    } catch (error) {
      if (!(error instanceof RowChanged)) throw error;
      const fresh = await plane.repository.get<ProtectedItemRecord>(vaultPartition(current.value.vault), PROTECTED_ITEM_ROW, itemRowName(current.value));
      if (!fresh) throw new HttpError(404, 'ResourceNotFound', `Replication protected item ${JSON.stringify(current.value.name)} was removed meanwhile.`);
      if (attempt >= ADMISSION_ATTEMPTS) {
        throw new HttpError(409, 'OperationInProgress', `Replication protected item ${JSON.stringify(current.value.name)} kept changing while the request was admitted; retry the request.`);
      }
      current = fresh;
    }
  }
}

async function admitOnce(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  row: StoredRow<ProtectedItemRecord>,
  command: ItemCommand,
  now: Date,
): Promise<{ job: Job; record: ProtectedItemRecord }> {
  const record = row.value;
  const path = itemPathOf(record);
  const partition = vaultPartition(record.vault);
  const jobId = command.clientRequestId ? jobIdForRequest(record.vault, command.clientRequestId) : undefined;
  const started = async (): Promise<Job | undefined> => {
    const seen = jobId ? await plane.jobs.get(partition, jobId) : undefined;
    return seen && seen.value.kind === command.job.kind && seen.value.targetObjectId === path ? seen.value : undefined;
  };
  const retried = await started();
  if (retried) return { job: await ensureJobStarted(plane, retried), record };
  const moved = command.event.type === 'UpdateSettings' ? undefined : transition(record.state, command.event);
  if (moved && !moved.ok) throw machineRejection(moved);
  if (moved?.noop) return { job: await recordFinishedJob(plane, row, { job: command.job, ...(command.clientRequestId ? { clientRequestId: command.clientRequestId } : {}) }, now), record };
  assertNoOperationInProgress(record, scenariosTakenOverBy(command.event));
  const effects = moved?.effects ?? [];
  const input: ItemJobInput = {
    fabricName: record.fabricName,
    containerName: record.containerName,
    itemName: record.name,
    plan: moved?.plan ?? [],
    ...command.job.input,
    ...(record.replication.cycle && interruptsCycle(effects) ? { interruptedCycle: record.replication.cycle } : {}),
  };
  const job = newItemJob(record, command.job, input, jobId, now);
  if (command.job.result === 'job') job.resultPath = vaultChildId(record.vault, ['replicationJobs', job.jobId]);
  const admitted: ProtectedItemRecord = {
    ...record,
    state: moved?.next ?? record.state,
    currentScenario: { scenarioName: job.scenarioName, jobId: job.jobId, startTime: job.startTime },
    updatedAt: now.toISOString(),
  };
  const next = applyRecordEffects(command.apply ? command.apply(admitted) : admitted, effects, job.jobId, now);
  try {
    await submitJob(plane, job, [{ action: 'replace', kind: PROTECTED_ITEM_ROW, name: itemRowName(record), value: next, etag: row.etag }]);
  } catch (error) {
    if (error instanceof ConcurrencyError) {
      const raced = await started();
      if (raced) return { job: raced, record };
      throw new RowChanged(`Replication protected item ${JSON.stringify(record.name)} changed while the request was admitted.`);
    }
    throw error;
  }
  return { job, record: next };
}
