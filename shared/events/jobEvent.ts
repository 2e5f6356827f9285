/** The event of a job's state change (ASR's `JobStatus` events, e.g. "TestFailover - Failed"). Pure. */
import { vaultChildId } from '../arm/resourceId.js';
import type { Job, JobState } from '../jobs/jobModel.js';
import type { EventDraft, EventSeverity } from './eventModel.js';

const SEVERITY: Record<JobState, EventSeverity> = {
  NotStarted: 'Information',
  InProgress: 'Information',
  Suspended: 'Warning',
  Succeeded: 'OK',
  Failed: 'Critical',
  Cancelled: 'Warning',
};

/** The event of `job` having reached its state (`undefined` when `before` had the same state). */
export function jobEvent(before: Job | undefined, job: Job): EventDraft | undefined {
  if (before?.state === job.state) return undefined;
  return {
    eventType: 'JobStatus',
    severity: SEVERITY[job.state],
    description: `${job.scenarioName} - ${job.state}`,
    affectedObjectFriendlyName: job.targetObjectName,
    affectedObjectCorrelationId: vaultChildId(job.vault, ['replicationJobs', job.jobId]),
    ...(job.fabricId === undefined ? {} : { fabricId: job.fabricId }),
    details: { jobId: job.jobId, jobFriendlyName: job.friendlyName, state: job.state, ...(before ? { previousState: before.state } : {}) },
    healthErrors: job.errors
      .filter((entry) => entry.errorLevel === 'Error')
      .map((entry) => ({
        errorCode: entry.serviceErrorDetails.code,
        errorMessage: entry.serviceErrorDetails.message,
        ...(entry.serviceErrorDetails.possibleCauses === undefined ? {} : { possibleCauses: entry.serviceErrorDetails.possibleCauses }),
        ...(entry.serviceErrorDetails.recommendedAction === undefined ? {} : { recommendedAction: entry.serviceErrorDetails.recommendedAction }),
      })),
  };
}
