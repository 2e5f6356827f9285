/**
 * A change to a protected item that is complete when it is written (a no-op command, resolving a
 * health error, adding or removing a disk): the item's change and its job, already Succeeded, in one
 * ETag-conditional transaction. A retry of the same request gets the job the first one recorded.
 */
import { vaultChildId } from '../arm/resourceId.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { finishJob, newJob, type Job } from '../jobs/jobModel.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { affectedObjectsOf, jobIdForRequest, type ItemJobSpec } from './itemJobSpec.js';
import { itemPathOf, itemRowName, PROTECTED_ITEM_JOB_TARGET, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';

export interface FinishedChange {
  job: ItemJobSpec;
  clientRequestId?: string;
  /** The item after the change; absent when the item stays as it is. */
  apply?(record: ProtectedItemRecord): ProtectedItemRecord;
}

export async function recordFinishedJob(plane: Pick<ControlPlane, 'repository' | 'jobs'>, row: StoredRow<ProtectedItemRecord>, change: FinishedChange, now = new Date()): Promise<Job> {
  const record = row.value;
  const path = itemPathOf(record);
  const partition = vaultPartition(record.vault);
  const jobId = change.clientRequestId ? jobIdForRequest(record.vault, change.clientRequestId) : undefined;
  const earlier = jobId ? await plane.jobs.get(partition, jobId) : undefined;
  if (earlier && earlier.value.targetObjectId === path) return earlier.value;
  const job = finishJob(
    newJob({
      kind: change.job.kind,
      vault: record.vault,
      scenarioName: change.job.scenarioName,
      friendlyName: change.job.friendlyName,
      targetObjectId: path,
      targetObjectName: record.friendlyName,
      targetInstanceType: PROTECTED_ITEM_JOB_TARGET,
      resultPath: path,
      fabricId: vaultChildId(record.vault, ['replicationFabrics', record.fabricName]),
      affectedObjectDetails: affectedObjectsOf(record),
      ...(change.job.customDetails ? { customDetails: change.job.customDetails } : {}),
      input: { fabricName: record.fabricName, containerName: record.containerName, itemName: record.name, plan: [] },
      tasks: change.job.tasks.map((name) => ({ name, taskType: 'JobTaskDetails' })),
      ...(jobId ? { jobId } : {}),
      now,
    }),
    'Succeeded',
    now,
  );
  const itemWrite = change.apply
    ? [{ action: 'replace' as const, kind: PROTECTED_ITEM_ROW, name: itemRowName(record), value: { ...change.apply(record), updatedAt: now.toISOString() }, etag: row.etag }]
    : [];
  try {
    await plane.repository.transact(partition, [...itemWrite, plane.jobs.createAction(job)]);
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    const raced = jobId ? await plane.jobs.get(partition, jobId) : undefined;
    if (raced) return raced.value;
    throw new HttpError(409, 'OperationInProgress', `Replication protected item ${JSON.stringify(record.name)} was changed by another operation; retry the request.`);
  }
  return job;
}
