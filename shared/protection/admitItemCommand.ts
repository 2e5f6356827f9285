/**
 * Admission of a command on a protected item: the state machine decides whether the item's state
 * allows it (else 409 naming the operations that are allowed), then the item's new state with its
 * `currentScenario` and the command's job are written in one ETag-conditional transaction, so of two
 * racing commands exactly one wins; the loser gets 409 and nothing changes.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { allowedOperations, describe, transition, type CommandEvent } from '../domain/protectionMachine.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { newJob, type Job, type JobTask } from '../jobs/jobModel.js';
import { submitJob } from '../jobs/submitJob.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ItemJobInput } from './jobSteps.js';
import { PROTECTED_ITEM_ROW, protectedItemPath, type ProtectedItemRecord } from './protectedItemRecord.js';

export interface ItemRef {
  fabricName: string;
  containerName: string;
  itemName: string;
}

/** What a command submits: its event, its job, and any change to the item beyond the state. */
export interface ItemCommandSpec {
  event: CommandEvent;
  kind: string;
  scenarioName: string;
  friendlyName: string;
  tasks: Array<Pick<JobTask, 'name'>>;
  input?: Record<string, unknown>;
  /** Changes to the item written with the new state (e.g. replication stopped). */
  patch?: (item: ProtectedItemRecord) => ProtectedItemRecord;
  /** Extra checks on the item before admission (throw HttpError). */
  check?: (item: ProtectedItemRecord) => void;
}

/** The item's row, or 404 naming it. */
export async function requireProtectedItem(plane: Pick<ControlPlane, 'repository'>, vault: VaultRef, ref: ItemRef): Promise<StoredRow<ProtectedItemRecord>> {
  validateName('fabricName', ref.fabricName);
  validateName('protectionContainerName', ref.containerName);
  validateName('replicatedProtectedItemName', ref.itemName);
  const row = await plane.repository.get<ProtectedItemRecord>(vaultPartition(vault), PROTECTED_ITEM_ROW, [ref.fabricName, ref.containerName, ref.itemName]);
  if (!row) {
    throw new HttpError(404, 'ReplicationProtectedItemNotFound', `The protected item ${JSON.stringify(ref.itemName)} was not found in container ${JSON.stringify(ref.containerName)} of fabric ${JSON.stringify(ref.fabricName)}.`);
  }
  return row;
}

/** The 409 for a command the item's state does not allow. */
export function notAllowed(item: ProtectedItemRecord, reason: string): HttpError {
  const allowed = allowedOperations(item.state);
  return new HttpError(
    409,
    'OperationNotAllowed',
    `${reason} Allowed operations: ${allowed.length > 0 ? allowed.join(', ') : 'none'}.`,
    allowed.map((operation) => ({ code: 'AllowedOperation', message: operation })),
  );
}

/** Admits a command: validates it against the state machine, writes item + job atomically, enqueues the job. */
export async function admitItemCommand(plane: ControlPlane, vault: VaultRef, ref: ItemRef, spec: ItemCommandSpec, now = new Date()): Promise<Job> {
  const row = await requireProtectedItem(plane, vault, ref);
  const item = row.value;
  if (item.currentScenario) {
    throw notAllowed(item, `Another operation ('${item.currentScenario.scenarioName}', job ${item.currentScenario.jobId}) is in progress on the item.`);
  }
  const moved = transition(item.state, spec.event);
  if (!moved.ok) throw notAllowed(item, moved.reason);
  spec.check?.(item);
  const path = protectedItemPath(vault, item.fabricName, item.containerName, item.name);
  const input: ItemJobInput & Record<string, unknown> = { ...spec.input, fabricName: item.fabricName, containerName: item.containerName, itemName: item.name };
  const job = newJob({
    kind: spec.kind,
    vault,
    scenarioName: spec.scenarioName,
    friendlyName: spec.friendlyName,
    targetObjectId: path,
    targetObjectName: item.friendlyName,
    targetInstanceType: 'ProtectionEntity',
    resultPath: path,
    tasks: spec.tasks,
    input,
    fabricId: path.split('/replicationProtectionContainers/')[0],
    affectedObjectDetails: { protectedItemName: item.name, stateBefore: describe(item.state) },
    now,
  });
  const base: ProtectedItemRecord = {
    ...item,
    state: moved.next,
    currentScenario: { scenarioName: spec.scenarioName, jobId: job.jobId, startTime: now.toISOString() },
    updatedAt: now.toISOString(),
  };
  const next = spec.patch ? spec.patch(base) : base;
  try {
    return await submitJob(plane, job, [{ action: 'replace', kind: PROTECTED_ITEM_ROW, name: [item.fabricName, item.containerName, item.name], value: next, etag: row.etag }]);
  } catch (error) {
    if (error instanceof ConcurrencyError) throw new HttpError(409, 'OperationInProgress', 'Another operation on the item was accepted at the same time; retry after it completes.');
    throw error;
  }
}
