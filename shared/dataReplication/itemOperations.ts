/**
 * The long-running operations of the DataReplication API on a protected item, followed through the
 * item's job as the Recovery Services API follows them (`getOperationStatus`): the operation id is
 * the job id. `operations/{id}` is the status (`Azure-AsyncOperation`); `operationResults/{id}` is
 * where the result is read (`Location`): 202 while the job runs, then the result, or the job's error.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import type { Job } from '../jobs/jobModel.js';
import { getOperationStatus, type OperationStatus } from '../jobs/operationStatus.js';
import { itemPathOf, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { vaultPartition } from '../repos/partitions.js';
import { drItemOperationStatusPath } from './dataReplicationIds.js';
import { admittedPlannedFailover, type PlannedFailoverModel } from './plannedFailover.js';

const notFound = (operationId: string, record: ProtectedItemRecord): HttpError =>
  new HttpError(404, 'ResourceNotFound', `The operation ${JSON.stringify(operationId)} was not found on protected item ${JSON.stringify(record.name)}.`, undefined, 'operationId');

/** The job of an operation on the item, or 404 (also for a job of another item). */
async function itemJob(plane: Pick<ControlPlane, 'jobs'>, vault: VaultRef, record: ProtectedItemRecord, operationId: string): Promise<Job> {
  validateName('operationId', operationId);
  const row = await plane.jobs.get(vaultPartition(vault), operationId);
  if (!row || row.value.targetObjectId.toLowerCase() !== itemPathOf(record).toLowerCase()) throw notFound(operationId, record);
  return row.value;
}

/** The status of an operation on the item (`{ id, name, status, startTime, endTime?, error? }`). */
export async function getItemOperationStatus(plane: Pick<ControlPlane, 'jobs'>, vault: VaultRef, record: ProtectedItemRecord, operationId: string): Promise<OperationStatus> {
  const job = await itemJob(plane, vault, record, operationId);
  const status = await getOperationStatus(plane, vault, job.jobId);
  return { ...status, id: drItemOperationStatusPath(vault, record.name, job.jobId) };
}

/**
 * The result of a planned failover on the item: `undefined` while its job runs; the model it was
 * admitted with once it succeeded; its error (500 with the job's code) when it failed, 409 when it
 * was cancelled.
 */
export async function getPlannedFailoverResult(plane: Pick<ControlPlane, 'jobs'>, vault: VaultRef, record: ProtectedItemRecord, operationId: string): Promise<PlannedFailoverModel | undefined> {
  const job = await itemJob(plane, vault, record, operationId);
  if (job.scenarioName !== 'PlannedFailover') throw notFound(operationId, record);
  const status = await getOperationStatus(plane, vault, job.jobId);
  switch (status.status) {
    case 'InProgress':
      return undefined;
    case 'Succeeded':
      return admittedPlannedFailover;
    case 'Canceled':
      throw new HttpError(409, status.error?.code ?? 'OperationCanceled', status.error?.message ?? `The job '${job.friendlyName}' was cancelled.`);
    case 'Failed':
      throw new HttpError(500, status.error?.code ?? 'JobFailed', status.error?.message ?? `The job '${job.friendlyName}' failed.`);
  }
}
