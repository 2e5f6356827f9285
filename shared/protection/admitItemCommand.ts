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
import { newJob, type Job } from '../jobs/jobModel.js';
import { submitJob } from '../jobs/submitJob.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ItemJobInput } from './itemJobInput.js';
import { itemPathOf, itemRowName, PROTECTED_ITEM_JOB_TARGET, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { affectedObjectsOf, jobIdForRequest, type ItemJobSpec } from './itemJobSpec.js';
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

const CLIENT_REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The request's `x-ms-client-request-id` when it is a plausible id (letters, digits, dashes), else `undefined`. */
export function clientRequestIdOf(headers: { get(name: string): string | null }): string | undefined {
  const value = headers.get('x-ms-client-request-id');
  return value && CLIENT_REQUEST_ID.test(value) ? value : undefined;
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

/**
 * Admits a command on an item row read earlier: 409 when the machine refuses it or another
 * operation holds the item; otherwise writes the item and the job in one transaction conditional on
 * the row's ETag, and enqueues the job. A lost race is a 409, except for a retry of the same request.
 */
export async function admitItemCommand(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  row: StoredRow<ProtectedItemRecord>,
  command: ItemCommand,
  now = new Date(),
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
  if (retried) return { job: retried, record };
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
  const job = newJob({
    kind: command.job.kind,
    vault: record.vault,
    scenarioName: command.job.scenarioName,
    friendlyName: command.job.friendlyName,
    targetObjectId: path,
    targetObjectName: record.friendlyName,
    targetInstanceType: PROTECTED_ITEM_JOB_TARGET,
    resultPath: path,
    fabricId: vaultChildId(record.vault, ['replicationFabrics', record.fabricName]),
    affectedObjectDetails: affectedObjectsOf(record),
    ...(command.job.customDetails ? { customDetails: command.job.customDetails } : {}),
    input,
    tasks: command.job.tasks.map((name) => ({ name, taskType: 'JobTaskDetails' })),
    ...(jobId ? { jobId } : {}),
    now,
  });
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
      throw new HttpError(409, 'OperationInProgress', `Replication protected item ${JSON.stringify(record.name)} was changed by another operation; retry the request.`);
    }
    throw error;
  }
  return { job, record: next };
}
