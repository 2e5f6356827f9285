import type { RowAction } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ControlPlane } from './controlPlane.js';
import type { Job } from './jobModel.js';

/**
 * Writes the job row together with `alsoWrite` (rows of the same vault, e.g. the item it
 * reserves) in one transaction, then enqueues its first step. A lost race on any row fails the
 * whole write with `ConcurrencyError` and enqueues nothing.
 */
export async function submitJob(plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>, job: Job, alsoWrite: readonly RowAction[] = []): Promise<Job> {
  const partition = vaultPartition(job.vault);
  await plane.repository.transact(partition, [plane.jobs.createAction(job), ...alsoWrite]);
  await plane.jobs.created(job);
  await plane.jobQueue.enqueue({ type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: job.sequence });
  return job;
}
