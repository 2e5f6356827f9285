import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultChildId } from '../arm/resourceId.js';
import { testFailoverStatusOf } from './jobDetails.js';
import type { JobCatalogue } from './jobKind.js';
import { isTerminal, type Job, type JobAction } from './jobModel.js';

/** ARM type of jobs. */
export const JOB_TYPE = 'Microsoft.RecoveryServices/vaults/replicationJobs';

/** Path of a job resource. */
export function jobPath(job: Pick<Job, 'vault' | 'jobId'>): string {
  return vaultChildId(job.vault, ['replicationJobs', job.jobId]);
}

/** The actions the job's state and kind allow now. */
export function allowedJobActions(job: Job, kinds: JobCatalogue): JobAction[] {
  const kind = Object.hasOwn(kinds, job.kind) ? kinds[job.kind] : undefined;
  const actions: JobAction[] = [];
  if (!isTerminal(job.state) && !job.cancelRequested && kind?.cancellable) actions.push('Cancel');
  if (job.state === 'Failed' && (kind?.restartable ?? true)) actions.push('Restart');
  if (job.state === 'Suspended') actions.push('Resume');
  return actions;
}

/** The job's `customDetails` as ASR's job detail type. */
function customDetailsOf(job: Job): Record<string, unknown> {
  const details = job.customDetails ?? { instanceType: 'AsrJobDetails' as const };
  const affected = job.affectedObjectDetails ? { affectedObjectDetails: job.affectedObjectDetails } : {};
  if (details.instanceType === 'TestFailoverJobDetails') return { ...details, testFailoverStatus: testFailoverStatusOf(job.state), ...affected };
  return { ...details, ...affected };
}

/** The `replicationJobs` resource of a job, as ASR shows it. */
export function toJobResource(job: Job, kinds: JobCatalogue): ArmResource {
  const properties: Record<string, unknown> = {
    activityId: job.activityId,
    scenarioName: job.scenarioName,
    friendlyName: job.friendlyName,
    state: job.state,
    stateDescription: job.cancelRequested && !isTerminal(job.state) ? 'Cancelling' : job.stateDescription,
    tasks: job.tasks,
    errors: job.errors,
    startTime: job.startTime,
    allowedActions: allowedJobActions(job, kinds),
    targetObjectId: job.targetObjectId,
    targetObjectName: job.targetObjectName,
    targetInstanceType: job.targetInstanceType,
    customDetails: customDetailsOf(job),
  };
  if (job.endTime) properties.endTime = job.endTime;
  return armResource(jobPath(job), job.jobId, JOB_TYPE, properties);
}
