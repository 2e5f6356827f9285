/**
 * The job watchdog: every job an item or a recovery plan names — the operation holding it
 * (`currentScenario`) and an item's initial replication job — is checked, and one whose current step
 * is long past due has it sent again (`reseedStalledJob`). Only named jobs are looked at, so the sweep
 * reads the rows of items and plans, not the job history.
 */
import type { ControlPlane } from './controlPlane.js';
import { reseedStalledJob } from './reseedStalledJob.js';

/** A row that names the job running on it. */
interface Holder {
  currentScenario?: { jobId: string };
  initialReplicationJobId?: string;
  friendlyName?: string;
  name?: string;
}

export interface JobSweepLog {
  warn(...args: unknown[]): void;
}

/** Re-sends the current step of every stalled job held by a row of `kinds`; returns how many were re-sent. */
export async function reseedStalledJobs(plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>, kinds: readonly string[], now: Date, log: JobSweepLog): Promise<number> {
  let reseeded = 0;
  for (const kind of kinds) {
    for await (const row of plane.repository.listEveryPartition<Holder>(kind)) {
      for (const jobId of new Set([row.value.currentScenario?.jobId, row.value.initialReplicationJobId])) {
        if (!jobId || !(await reseedStalledJob(plane, row.partition, jobId, now))) continue;
        log.warn(`Job ${jobId} of ${row.value.friendlyName ?? row.value.name ?? row.rowKey} had not run its next step in time; it was sent again.`);
        reseeded += 1;
      }
    }
  }
  return reseeded;
}
