/**
 * Protected item rows and command admission: finding an item (404 naming it), listing a container's
 * or a vault's items page by page, and admitting a command on an item — the state machine allows it,
 * no other operation holds the item, and the item row and the command's job are written in one
 * ETag-conditional transaction, so of two racing commands exactly one wins.
 */
import { createHash } from 'node:crypto';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { allowedOperations, transition, type CommandEvent } from '../domain/protectionMachine.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { newJob, type Job, type NewJobInput } from '../jobs/jobModel.js';
import { submitJob } from '../jobs/submitJob.js';
import { containerNameOf, type FabricRecord } from '../infra/fabrics.js';
import { requireContainer } from '../infra/mappings.js';
import type { ControlPlaneRepository, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { PROTECTED_ITEM_ROW, protectedItemPath, type ProtectedItemRecord } from './protectedItemRecord.js';

/** ASR's `targetInstanceType` of jobs on protected items. */
export const PROTECTED_ITEM_JOB_TARGET = 'ProtectionEntity';

/** Initial replication runs in the background of an item: disabling or updating it may take over. */
export const INITIAL_REPLICATION_SCENARIOS: ReadonlySet<string> = new Set(['IrCompletion']);

/** Every scenario that only follows the replication chain: a purge may take over any of them. */
export const REPLICATION_SCENARIOS: ReadonlySet<string> = new Set(['IrCompletion', 'RepairReplication']);

/** The row name of an item: `[fabric, container, item]`. */
export const itemRowName = (item: Pick<ProtectedItemRecord, 'fabricName' | 'containerName' | 'name'>): string[] => [item.fabricName, item.containerName, item.name];

/** The item's ARM path. */
export const itemPathOf = (item: Pick<ProtectedItemRecord, 'vault' | 'fabricName' | 'containerName' | 'name'>): string =>
  protectedItemPath(item.vault, item.fabricName, item.containerName, item.name);

/** Checks the route's names and that the container exists; returns the names as stored. */
export async function requireItemRoute(
  repository: ControlPlaneRepository,
  vault: VaultRef,
  fabricName: string,
  containerName: string,
  itemName?: string,
): Promise<{ fabric: FabricRecord; fabricName: string; containerName: string }> {
  if (itemName !== undefined) validateName('replicatedProtectedItemName', itemName);
  const fabric = await requireContainer(repository, vault, fabricName, containerName);
  return { fabric: fabric.value, fabricName: fabric.value.name, containerName: containerNameOf(fabric.value.name) };
}

/** The item's row, or `undefined`. */
export function findProtectedItem(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, containerName: string, itemName: string): Promise<StoredRow<ProtectedItemRecord> | undefined> {
  return repository.get<ProtectedItemRecord>(vaultPartition(vault), PROTECTED_ITEM_ROW, [fabricName, containerName, itemName]);
}

/** The item's row, or 404 naming it (route names checked first). */
export async function requireProtectedItem(
  repository: ControlPlaneRepository,
  vault: VaultRef,
  fabricName: string,
  containerName: string,
  itemName: string,
): Promise<StoredRow<ProtectedItemRecord>> {
  await requireItemRoute(repository, vault, fabricName, containerName, itemName);
  const row = await findProtectedItem(repository, vault, fabricName, containerName, itemName);
  if (!row) {
    throw new HttpError(404, 'ResourceNotFound', `Replication protected item ${JSON.stringify(itemName)} was not found.`, undefined, 'replicatedProtectedItemName');
  }
  return row;
}

/** One page of items: of one container (`fabricName` and `containerName`), or of the whole vault. */
export function listProtectedItems(
  repository: ControlPlaneRepository,
  vault: VaultRef,
  scope: { fabricName: string; containerName: string } | undefined,
  continuationToken?: string,
): Promise<RowPage<ProtectedItemRecord>> {
  return repository.list<ProtectedItemRecord>(vaultPartition(vault), PROTECTED_ITEM_ROW, {
    ...(scope ? { prefix: [scope.fabricName, scope.containerName] } : {}),
    ...(continuationToken ? { continuationToken } : {}),
  });
}

/**
 * Whether a replication scenario is over although its job has not cleared it yet: the chain moved
 * the item out of the state the scenario waits on (its job notices on its next poll).
 */
function scenarioIsOver(record: ProtectedItemRecord, scenarioName: string): boolean {
  const state = record.state.protectionState;
  if (scenarioName === 'IrCompletion') return state !== 'InitialReplicationInProgress';
  if (scenarioName === 'RepairReplication') return state !== 'ResynchronizationInProgress';
  return false;
}

/** 409 `OperationInProgress` when another operation holds the item, unless its scenario is one of `preempt` or over. */
export function assertNoOperationInProgress(record: ProtectedItemRecord, preempt: ReadonlySet<string> = new Set()): void {
  const current = record.currentScenario;
  if (!current) return;
  if (preempt.has(current.scenarioName) || scenarioIsOver(record, current.scenarioName)) return;
  throw new HttpError(
    409,
    'OperationInProgress',
    `The operation '${current.scenarioName}' (job ${current.jobId}) is in progress on replication protected item ${JSON.stringify(record.name)}; retry when it has finished.`,
  );
}

/** 409 naming the operations the item's state allows, when the machine refuses `event`. */
export function machineRejection(record: ProtectedItemRecord, reason: string): HttpError {
  const allowed = allowedOperations(record.state);
  return new HttpError(
    409,
    'OperationNotAllowed',
    `${reason} Allowed operations: ${allowed.length ? allowed.join(', ') : 'none'}.`,
    allowed.map((operation) => ({ code: 'AllowedOperation', message: operation, target: 'allowedOperations' })),
  );
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The request's `x-ms-client-request-id` when it is a plausible id (letters, digits, dashes), else `undefined`. */
export function clientRequestIdOf(headers: { get(name: string): string | null }): string | undefined {
  const value = headers.get('x-ms-client-request-id');
  return value && CLIENT_REQUEST_ID.test(value) ? value : undefined;
}

/** The job id of a command with a client request id: a retried request names the same job (a GUID). */
export function jobIdForRequest(vault: VaultRef, clientRequestId: string): string {
  const hex = createHash('sha256').update(`${vaultPartition(vault)}\n${clientRequestId.toLowerCase()}`).digest('hex');
  const variant = (8 | (Number.parseInt(hex.charAt(16), 16) & 3)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The job fields of a command on an item, beyond what `admitItemCommand` fills in. */
export type ItemJobSpec = Pick<NewJobInput, 'kind' | 'scenarioName' | 'friendlyName' | 'tasks'> & {
  /** Extra job input besides the item's names. */
  input?: Record<string, unknown>;
  /** Where the client reads the result (default: the item). `'job'`: the job itself (removals). */
  result?: 'item' | 'job';
};

/** A command on an item: the machine event it is, its job, and what it changes on the item. */
export interface ItemCommand {
  /** The event the machine must allow (none for commands that do not change the state, e.g. update). */
  event?: CommandEvent;
  job: ItemJobSpec;
  /** Scenarios the command may take over (e.g. disabling protection during initial replication). */
  preempt?: ReadonlySet<string>;
  /** The request's client request id: a retry of the same request gets the job it already started. */
  clientRequestId?: string;
  /** The item after admission (state and currentScenario are set by `admitItemCommand`). */
  apply?(record: ProtectedItemRecord, job: Job, now: Date): ProtectedItemRecord;
}

/**
 * Admits a command on an item row read earlier: 409 when the machine refuses it (naming the allowed
 * operations) or another operation holds the item; otherwise writes the item (new state, `currentScenario` = the job) and the job in one
 * transaction conditional on the row's ETag, and enqueues the job. A lost race is a 409, except for
 * a retry of the same request (same client request id), which gets the job the first one started.
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
  let state = record.state;
  if (command.event) {
    const moved = transition(record.state, command.event);
    if (!moved.ok) throw machineRejection(record, moved.reason);
    state = moved.next;
  }
  assertNoOperationInProgress(record, command.preempt);
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
    input: { fabricName: record.fabricName, containerName: record.containerName, itemName: record.name, ...command.job.input },
    ...(command.job.tasks ? { tasks: command.job.tasks } : {}),
    ...(jobId ? { jobId } : {}),
    now,
  });
  if (command.job.result === 'job') job.resultPath = vaultChildId(record.vault, ['replicationJobs', job.jobId]);
  const base: ProtectedItemRecord = {
    ...record,
    state,
    currentScenario: { scenarioName: job.scenarioName, jobId: job.jobId, startTime: job.startTime },
    updatedAt: now.toISOString(),
  };
  const next = command.apply ? command.apply(base, job, now) : base;
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
