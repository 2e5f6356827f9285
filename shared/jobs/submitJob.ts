import { currentRequest } from '../arm/requestContext.js';
import type { RowAction } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ControlPlane } from './controlPlane.js';
import type { Job } from './jobModel.js';

/**
 * Writes the job row together with `alsoWrite` (rows of the same vault, e.g. the item it
 * reserves) in one transaction, then enqueues its first step. A lost race on any row fails the
 * whole write with `ConcurrencyError` and enqueues nothing.
 */
export async function submitJob(plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>, submitted: Job, alsoWrite: readonly RowAction[] = []): Promise<Job> {
  const job = tracedToRequest(submitted);
  const partition = vaultPartition(job.vault);
  await plane.repository.transact(partition, [plane.jobs.createAction(job), ...alsoWrite]);
  await plane.jobs.created(job);
  await plane.jobQueue.enqueue({ type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: job.sequence });
  return job;
}

/** The job with the `activityId` of the request that starts it (the request's correlation id), when a request does. */
export function tracedToRequest(job: Job): Job {
  const request = currentRequest();
  return request ? { ...job, activityId: request.correlationId } : job;
}

/**
 * A job that a retried request found. While no step of it has run, its first step may never have
 * been sent (the admitting process died between storing the job and sending the step): it is sent
 * again under the next sequence, so of the two messages only the new one runs.
 */
export async function ensureJobStarted(plane: Pick<ControlPlane, 'jobs' | 'jobQueue'>, job: Job): Promise<Job> {
  if (job.state !== 'NotStarted' || job.cancelRequested) return job;
  const partition = vaultPartition(job.vault);
  const row = await plane.jobs.update(partition, job.jobId, (current) =>
    current.state === 'NotStarted' && current.sequence === job.sequence ? { ...current, sequence: current.sequence + 1, stepDueAt: new Date().toISOString() } : undefined,
  );
  if (row.value.state === 'NotStarted' && row.value.sequence === job.sequence + 1) {
    await plane.jobQueue.enqueue({ type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: row.value.sequence });
  }
  return row.value;
}
