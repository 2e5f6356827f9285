import type { VaultRef } from '../arm/resourceId.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ControlPlane } from './controlPlane.js';
import type { JobCatalogue } from './jobKind.js';
import { allowedJobActions } from './jobResource.js';
import type { Job, JobAction } from './jobModel.js';
import { parseJobFilter } from './parseJobFilter.js';

function notFound(jobId: string): HttpError {
  return new HttpError(404, 'ResourceNotFound', `The job ${JSON.stringify(jobId)} was not found in the vault.`);
}

/** The job, or 404. */
export async function getJob(plane: Pick<ControlPlane, 'jobs'>, vault: VaultRef, jobId: string): Promise<Job> {
  const row = await plane.jobs.get(vaultPartition(vault), jobId);
  if (!row) throw notFound(jobId);
  return row.value;
}

/** One page of the vault's jobs that match `$filter`, newest first within the page. */
export async function listJobs(
  plane: Pick<ControlPlane, 'jobs'>,
  vault: VaultRef,
  filter: string | null | undefined,
  continuationToken?: string,
): Promise<{ jobs: Job[]; continuationToken?: string }> {
  const matches = parseJobFilter(filter);
  const page = await plane.jobs.list(vaultPartition(vault), continuationToken ? { continuationToken } : {});
  const jobs = page.rows.map((row) => row.value).filter(matches).sort((a, b) => b.startTime.localeCompare(a.startTime));
  return page.continuationToken ? { jobs, continuationToken: page.continuationToken } : { jobs };
}

/**
 * Applies an action to a job if its current state allows it (else 409 naming the state and the
 * allowed actions), bumps its sequence and enqueues a step so the runner acts on it.
 */
async function act(plane: ControlPlane, kinds: JobCatalogue, vault: VaultRef, jobId: string, action: JobAction, change: (job: Job) => Job): Promise<Job> {
  const partition = vaultPartition(vault);
  let rejected: Job | undefined;
  let row: StoredRow<Job>;
  try {
    row = await plane.jobs.update(partition, jobId, (job) => {
      if (!allowedJobActions(job, kinds).includes(action)) {
        rejected = job;
        return undefined;
      }
      rejected = undefined;
      return { ...change(job), sequence: job.sequence + 1, stepDueAt: new Date().toISOString() };
    });
  } catch (error) {
    if (error instanceof ConcurrencyError && error.reason === 'missing') throw notFound(jobId);
    throw error;
  }
  if (rejected) {
    const allowed = allowedJobActions(rejected, kinds);
    throw new HttpError(
      409,
      'JobActionNotAllowed',
      `The job ${JSON.stringify(jobId)} is ${rejected.state}${rejected.cancelRequested ? ' (cancelling)' : ''}; '${action}' is not allowed. Allowed actions: ${allowed.length ? allowed.join(', ') : 'none'}.`,
    );
  }
  await plane.jobQueue.enqueue({ type: 'jobStep', vaultKey: partition, jobId, sequence: row.value.sequence });
  return row.value;
}

/** Requests cancellation of a running job of a cancellable kind. */
export function cancelJob(plane: ControlPlane, kinds: JobCatalogue, vault: VaultRef, jobId: string): Promise<Job> {
  return act(plane, kinds, vault, jobId, 'Cancel', (job) => ({ ...job, cancelRequested: true }));
}

/** Restarts a `Failed` job from its recorded progress. */
export function restartJob(plane: ControlPlane, kinds: JobCatalogue, vault: VaultRef, jobId: string): Promise<Job> {
  return act(plane, kinds, vault, jobId, 'Restart', (job) => {
    const { endTime: _endTime, ...rest } = job;
    return {
      ...rest,
      state: 'InProgress',
      stateDescription: 'Restarted',
      errors: [],
      tasks: job.tasks.map((task) => (task.state === 'Failed' || task.state === 'Skipped' ? { taskId: task.taskId, name: task.name, state: 'NotStarted' } : task)),
    };
  });
}

/** Resumes a `Suspended` job (e.g. after a manual action), recording the comments. */
export function resumeJob(plane: ControlPlane, kinds: JobCatalogue, vault: VaultRef, jobId: string, comments?: string): Promise<Job> {
  return act(plane, kinds, vault, jobId, 'Resume', (job) => ({ ...job, state: 'InProgress', stateDescription: 'Resumed', ...(comments ? { comments } : {}) }));
}

