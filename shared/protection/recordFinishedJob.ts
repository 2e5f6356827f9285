/**
 * A change to a protected item that is complete when it is written (a no-op command, resolving a
 * health error, adding or removing a disk): the item's change and its job, already Succeeded, in one
 * ETag-conditional transaction. A retry of the same request gets the job the first one recorded.
 */
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import type { Job } from '../jobs/jobModel.js';
import { recordCompletedJob } from '../jobs/recordCompletedJob.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { jobIdForRequest, newItemJob, type ItemJobSpec } from './itemJobSpec.js';
import { itemPathOf, itemRowName, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';

export interface FinishedChange {
  job: ItemJobSpec;
  clientRequestId?: string;
  /** The item after the change; absent when the item stays as it is. */
  apply?(record: ProtectedItemRecord): ProtectedItemRecord;
}

/** Attempts at writing the change when replication keeps advancing the item meanwhile. */
const ATTEMPTS = 5;

export async function recordFinishedJob(plane: Pick<ControlPlane, 'repository' | 'jobs'>, row: StoredRow<ProtectedItemRecord>, change: FinishedChange, now = new Date()): Promise<Job> {
  const record = row.value;
  const path = itemPathOf(record);
  const partition = vaultPartition(record.vault);
  const jobId = change.clientRequestId ? jobIdForRequest(record.vault, change.clientRequestId) : undefined;
  const earlier = jobId ? await plane.jobs.get(partition, jobId) : undefined;
  if (earlier && earlier.value.targetObjectId === path) return earlier.value;
  const job = newItemJob(record, change.job, { fabricName: record.fabricName, containerName: record.containerName, itemName: record.name, plan: [] }, jobId, now);
  let current = row;
  for (let attempt = 1; ; attempt++) {
    const base = current;
    const writes = change.apply
      ? [{ action: 'replace' as const, kind: PROTECTED_ITEM_ROW, name: itemRowName(record), value: { ...change.apply(base.value), updatedAt: now.toISOString() }, etag: base.etag }]
      : [];
    try {
      return await recordCompletedJob(plane, job, { state: 'Succeeded', writes }, now);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const raced = jobId ? await plane.jobs.get(partition, jobId) : undefined;
      if (raced) return raced.value;
      const fresh = await plane.repository.get<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, itemRowName(record));
      // Another command took the item meanwhile: that one wins.
      if (!fresh || attempt >= ATTEMPTS || fresh.value.currentScenario?.jobId !== base.value.currentScenario?.jobId) {
        throw new HttpError(409, 'OperationInProgress', `Replication protected item ${JSON.stringify(record.name)} was changed by another operation; retry the request.`);
      }
      current = fresh;
    }
  }
}
