/**
 * The job watchdog's part for one job: a job whose current step is long past due lost its message
 * (a crash or a lost write between the job's write and the send, or a duplicate delivery that
 * completed it) or its step is still running that long; either way the step is sent again. A second
 * message of the current step is harmless: steps are idempotent and only one advances the job.
 */
import type { ControlPlane } from './controlPlane.js';
import { isTerminal, type Job } from './jobModel.js';

/** How long past its due time a job's step may be before it is sent again (steps take seconds). */
export const JOB_STEP_GRACE_MS = 30_000;

/** Whether the job waits for a step that should have run more than the grace ago. */
export function jobIsStalled(job: Job, now: Date): boolean {
  if (isTerminal(job.state) || job.stepDueAt === undefined) return false;
  if (job.state === 'Suspended' && !job.cancelRequested) return false;
  return now.getTime() - Date.parse(job.stepDueAt) > JOB_STEP_GRACE_MS;
}

/**
 * Sends a stalled job's current step again, once per grace (its due time becomes `now` first, so
 * a concurrent watchdog sends nothing); true when it did.
 */
export async function reseedStalledJob(plane: Pick<ControlPlane, 'jobs' | 'jobQueue'>, partition: string, jobId: string, now: Date): Promise<boolean> {
  const row = await plane.jobs.get(partition, jobId);
  if (!row || !jobIsStalled(row.value, now)) return false;
  const { sequence, stepDueAt } = row.value;
  const due = now.toISOString();
  const updated = await plane.jobs.update(partition, jobId, (job) => (job.sequence === sequence && job.stepDueAt === stepDueAt ? { ...job, stepDueAt: due } : undefined));
  if (updated.value.sequence !== sequence || updated.value.stepDueAt !== due) return false;
  await plane.jobQueue.enqueue({ type: 'jobStep', vaultKey: partition, jobId, sequence });
  return true;
}
