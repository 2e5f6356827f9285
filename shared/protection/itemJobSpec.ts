/** The job of a command on a protected item: its fields, its id for a retried request, and the objects it affects. */
import { createHash } from 'node:crypto';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { newJob, type Job, type NewJobInput } from '../jobs/jobModel.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ItemJobInput } from './itemJobInput.js';
import { itemPathOf, PROTECTED_ITEM_JOB_TARGET, type ProtectedItemRecord } from './protectedItemRecord.js';

/** The job fields of a command on an item, beyond what admission fills in. */
export type ItemJobSpec = Pick<NewJobInput, 'kind' | 'scenarioName' | 'friendlyName' | 'customDetails'> & {
  /** Names of the job's tasks. */
  tasks: readonly string[];
  /** Job input besides the item's names and the plan. */
  input?: Omit<ItemJobInput, 'fabricName' | 'containerName' | 'itemName' | 'plan'>;
  /** Where the client reads the result (default: the item). `'job'`: the job itself (removals). */
  result?: 'item' | 'job';
};

/** The job id of a command with a client request id: a retried request names the same job (a GUID). */
export function jobIdForRequest(vault: VaultRef, clientRequestId: string): string {
  const hex = createHash('sha256').update(`${vaultPartition(vault)}\n${clientRequestId.toLowerCase()}`).digest('hex');
  const variant = (8 | (Number.parseInt(hex.charAt(16), 16) & 3)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What ASR lists as the objects a job on an item affects (`affectedObjectDetails`). */
export function affectedObjectsOf(record: ProtectedItemRecord): Record<string, string> {
  return {
    PrimaryVmId: record.vmId,
    PrimaryVmName: record.friendlyName,
    RecoveryVmId: record.recoveryVm?.vmId ?? '',
    RecoveryVmName: record.recovery.vmName,
    ProtectionProfileId: record.policyName,
    PrimaryCloudId: record.containerName,
    PrimaryCloudName: record.fabricName,
    RecoveryCloudId: record.recoveryContainerName,
    RecoveryCloudName: record.recoveryFabricName,
    PrimaryFabricProviderId: 'HyperVSite',
    RecoveryFabricProviderId: 'Azure',
  };
}


/** A new job of a command on the item: targeting it, on its fabric, listing what it affects. */
export function newItemJob(record: ProtectedItemRecord, spec: ItemJobSpec, input: ItemJobInput, jobId: string | undefined, now: Date): Job {
  const path = itemPathOf(record);
  return newJob({
    kind: spec.kind,
    vault: record.vault,
    scenarioName: spec.scenarioName,
    friendlyName: spec.friendlyName,
    targetObjectId: path,
    targetObjectName: record.friendlyName,
    targetInstanceType: PROTECTED_ITEM_JOB_TARGET,
    resultPath: path,
    fabricId: vaultChildId(record.vault, ['replicationFabrics', record.fabricName]),
    affectedObjectDetails: affectedObjectsOf(record),
    ...(spec.customDetails ? { customDetails: spec.customDetails } : {}),
    input,
    tasks: spec.tasks.map((name) => ({ name, taskType: 'JobTaskDetails' })),
    ...(jobId ? { jobId } : {}),
    now,
  });
}
