/** A job that is done when it is admitted (an export, a check, a change written at once): finished and stored with what it changed, in one transaction. */
import type { RowAction } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ControlPlane } from './controlPlane.js';
import { tracedToRequest } from './submitJob.js';
import { finishJob, type Job, type JobErrorEntry, type TerminalJobState } from './jobModel.js';

export interface Completion {
  state: TerminalJobState;
  /** Errors and warnings the job shows. */
  errors?: JobErrorEntry[];
  /** Row writes that commit with the job (all or none). */
  writes?: readonly RowAction[];
}

export async function recordCompletedJob(plane: Pick<ControlPlane, 'repository' | 'jobs'>, job: Job, completion: Completion, now = new Date()): Promise<Job> {
  const finished = finishJob(tracedToRequest(job), completion.state, now, completion.errors ?? []);
  await plane.repository.transact(vaultPartition(job.vault), [...(completion.writes ?? []), plane.jobs.createAction(finished)]);
  await plane.jobs.created(finished);
  return finished;
}
