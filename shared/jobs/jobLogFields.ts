/** What a job's log lines say about it: its id, activity, vault, and the item or plan it acts on. */
import type { LogFields } from '../logging/logFields.js';
import type { Job } from './jobModel.js';

const segmentAfter = (path: string, collection: string): string | undefined => {
  const match = new RegExp(`/${collection}/([^/]+)`, 'i').exec(path);
  return match?.[1];
};

export function jobLogFields(job: Pick<Job, 'jobId' | 'activityId' | 'vault' | 'targetObjectId'>): LogFields {
  return {
    jobId: job.jobId,
    activityId: job.activityId,
    vault: job.vault.vaultName,
    item: segmentAfter(job.targetObjectId, 'replicationProtectedItems'),
    plan: segmentAfter(job.targetObjectId, 'replicationRecoveryPlans'),
  };
}
