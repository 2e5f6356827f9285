/**
 * A job as `Microsoft.DataReplication/replicationVaults/jobs` shows it (`JobModel`): the same job
 * `replicationJobs` shows, in DataReplication's vocabulary. Pure.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import { parseVaultChildId } from '../arm/resourceId.js';
import type { JobCatalogue } from '../jobs/jobKind.js';
import type { Job, JobErrorEntry } from '../jobs/jobModel.js';
import { allowedJobActions } from '../jobs/jobResource.js';
import { drItemId, drJobId, drRecoveryPointId, DR_TYPE, HCI_INSTANCE_TYPE } from './dataReplicationIds.js';

/**
 * DataReplication's `JobState` of a job: a suspended job waits for its resume (it has started); a
 * job that succeeded with warnings only (a failover of an item never drilled) has
 * `CompletedWithWarnings`, DataReplication's name for that outcome.
 */
export function dataReplicationJobState(job: Pick<Job, 'state' | 'cancelRequested' | 'errors'>): string {
  if (job.cancelRequested && (job.state === 'NotStarted' || job.state === 'InProgress' || job.state === 'Suspended')) return 'Cancelling';
  if (job.state === 'Succeeded' && job.errors.length > 0 && job.errors.every((entry) => entry.errorLevel === 'Warning')) return 'CompletedWithWarnings';
  const states: Readonly<Record<string, string>> = { NotStarted: 'Pending', InProgress: 'Started', Suspended: 'Started' };
  return states[job.state] ?? job.state;
}

/** DataReplication's `TaskState` of a task. */
const taskState = (state: string): string => ({ NotStarted: 'Pending', InProgress: 'Started' })[state] ?? state;

/** `JobObjectType` from the kind of resource the job acts on (by its id, else by ASR's target type). */
function objectTypeOf(job: Job): string {
  const last = parseVaultChildId(job.targetObjectId)?.children.at(-1)?.type.toLowerCase();
  const byPath: Readonly<Record<string, string>> = {
    replicationprotecteditems: 'ProtectedItem',
    replicationprotectioncontainermappings: 'ReplicationExtension',
    replicationpolicies: 'Policy',
    replicationfabrics: 'Fabric',
  };
  const byTarget: Readonly<Record<string, string>> = { ProtectionEntity: 'ProtectedItem', ProtectionProfile: 'Policy', Server: 'Fabric' };
  return (last ? byPath[last] : undefined) ?? byTarget[job.targetInstanceType] ?? 'Vault';
}

/** A recovery point's DataReplication id, for the id of one of a replication protected item's points (else as given). */
function recoveryPointIdOf(id: string): string {
  const parsed = parseVaultChildId(id);
  const [point, item] = [parsed?.children.at(-1), parsed?.children.at(-2)];
  if (!parsed || point?.type.toLowerCase() !== 'recoverypoints' || item?.type.toLowerCase() !== 'replicationprotecteditems') return id;
  return drRecoveryPointId(parsed.vault, item.name, point.name);
}

/** The protected item's DataReplication id and name when the job acts on one. */
function protectedItemOf(job: Job): { id: string; name: string } | undefined {
  const parsed = parseVaultChildId(job.targetObjectId);
  const last = parsed?.children.at(-1);
  if (!parsed || last?.type.toLowerCase() !== 'replicationprotecteditems') return undefined;
  return { id: drItemId(parsed.vault, last.name), name: last.name };
}

const toErrorModel = (entry: JobErrorEntry): Record<string, unknown> => ({
  code: entry.serviceErrorDetails.code,
  type: 'ServiceError',
  severity: entry.errorLevel,
  creationTime: entry.creationTime,
  message: entry.serviceErrorDetails.message,
  ...(entry.serviceErrorDetails.possibleCauses !== undefined ? { causes: entry.serviceErrorDetails.possibleCauses } : {}),
  ...(entry.serviceErrorDetails.recommendedAction !== undefined ? { recommendation: entry.serviceErrorDetails.recommendedAction } : {}),
});

/**
 * The job's custom properties: a (test) failover's item details (`FailoverJobDetails`,
 * `TestFailoverJobDetails`), a cleanup's comments (`TestFailoverCleanupJobDetails`), and for every
 * job the affected object's details as ASR records them.
 */
function customPropertiesOf(job: Job, item: { name: string } | undefined): Record<string, unknown> {
  const affected = { affectedObjectDetails: job.affectedObjectDetails ?? {} };
  const details = job.customDetails;
  if (job.scenarioName === 'TestFailoverCleanup') {
    const comments = job.comments ?? (details?.instanceType === 'TestFailoverJobDetails' ? details.comments : undefined);
    return { instanceType: 'TestFailoverCleanupJobDetails', ...(comments ? { comments } : {}), ...affected };
  }
  if (details?.instanceType === 'FailoverJobDetails' || details?.instanceType === 'TestFailoverJobDetails') {
    const protectedItemDetails = details.protectedItemDetails.map((entry) => ({
      protectedItemName: item?.name ?? entry.name,
      vmName: entry.friendlyName,
      ...(entry.testVmName ? { testVmName: entry.testVmName } : {}),
      ...(entry.recoveryPointId ? { recoveryPointId: recoveryPointIdOf(entry.recoveryPointId) } : {}),
      ...(entry.recoveryPointTime ? { recoveryPointTime: entry.recoveryPointTime } : {}),
      ...(entry.networkFriendlyName ? { networkName: entry.networkFriendlyName } : {}),
      ...(entry.subnet ? { subnet: entry.subnet } : {}),
    }));
    return { instanceType: details.instanceType, protectedItemDetails, ...affected };
  }
  return { instanceType: 'JobModelCustomProperties', ...affected };
}

/** The job as DataReplication shows it. */
export function toJobModel(job: Job, kinds: JobCatalogue): ArmResource {
  const item = protectedItemOf(job);
  const affected = job.affectedObjectDetails;
  const properties: Record<string, unknown> = {
    displayName: job.friendlyName,
    state: dataReplicationJobState(job),
    startTime: job.startTime,
    ...(job.endTime ? { endTime: job.endTime } : {}),
    objectId: item?.id ?? job.targetObjectId,
    objectName: item?.name ?? job.targetObjectName,
    objectInternalId: job.targetObjectId,
    objectInternalName: job.targetObjectName,
    objectType: objectTypeOf(job),
    replicationProviderId: HCI_INSTANCE_TYPE,
    ...(affected?.PrimaryFabricProviderId ? { sourceFabricProviderId: affected.PrimaryFabricProviderId } : {}),
    ...(affected?.RecoveryFabricProviderId ? { targetFabricProviderId: affected.RecoveryFabricProviderId } : {}),
    allowedActions: allowedJobActions(job, kinds),
    activityId: job.activityId,
    tasks: job.tasks.map((task) => ({
      taskName: task.name,
      state: taskState(task.state),
      ...(task.startTime ? { startTime: task.startTime } : {}),
      ...(task.endTime ? { endTime: task.endTime } : {}),
      customProperties: { instanceType: task.taskType ?? 'TaskDetails' },
    })),
    errors: job.errors.map(toErrorModel),
    customProperties: customPropertiesOf(job, item),
    provisioningState: 'Succeeded',
  };
  return armResource(drJobId(job.vault, job.jobId), job.jobId, DR_TYPE.job, properties);
}
