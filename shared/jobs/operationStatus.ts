import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ControlPlane } from './controlPlane.js';
import type { Job } from './jobModel.js';

/** Operation-status values the ARM async pattern uses. */
export type OperationStatusValue = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

/** The operation-status resource the client polls. */
export interface OperationStatus {
  id: string;
  name: string;
  status: OperationStatusValue;
  startTime: string;
  endTime?: string;
  error?: { code: string; message: string };
}

/** Path of the status of an operation: the job's own (`jobId`) or an action on it (`jobId.cancel`). */
export function operationStatusPath(vault: VaultRef, operationId: string): string {
  return vaultChildId(vault, ['replicationOperationStatus', operationId]);
}

function jobOutcome(job: Job): Pick<OperationStatus, 'status' | 'error'> {
  switch (job.state) {
    case 'Succeeded':
      return { status: 'Succeeded' };
    case 'Cancelled':
      return { status: 'Canceled', error: { code: 'OperationCanceled', message: `The job '${job.friendlyName}' was cancelled.` } };
    case 'Failed': {
      const last = job.errors.at(-1)?.serviceErrorDetails;
      return { status: 'Failed', error: { code: last?.code ?? 'JobFailed', message: last?.message ?? `The job '${job.friendlyName}' failed.` } };
    }
    default:
      return { status: 'InProgress' };
  }
}

function cancelOutcome(job: Job): Pick<OperationStatus, 'status' | 'error'> {
  switch (job.state) {
    case 'Cancelled':
      return { status: 'Succeeded' };
    case 'Succeeded':
    case 'Failed':
      return { status: 'Failed', error: { code: 'JobNotCancelled', message: `The job finished as ${job.state} before it could be cancelled.` } };
    default:
      return { status: 'InProgress' };
  }
}

/** The status of an operation, derived from its job's state; 404 when the job is unknown. */
export async function getOperationStatus(plane: Pick<ControlPlane, 'jobs'>, vault: VaultRef, operationId: string): Promise<OperationStatus> {
  const [jobId = '', action] = operationId.split('.', 2);
  const row = action === undefined || action === 'cancel' ? await plane.jobs.get(vaultPartition(vault), jobId) : undefined;
  if (!row) throw new HttpError(404, 'ResourceNotFound', `The operation ${JSON.stringify(operationId)} was not found.`);
  const job = row.value;
  const outcome = action === 'cancel' ? cancelOutcome(job) : jobOutcome(job);
  const status: OperationStatus = { id: operationStatusPath(vault, operationId), name: operationId, startTime: job.startTime, ...outcome };
  if (outcome.status !== 'InProgress' && job.endTime) status.endTime = job.endTime;
  return status;
}
