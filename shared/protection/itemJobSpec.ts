/** The job of a command on a protected item: its fields, its id for a retried request, and the objects it affects. */
import { createHash } from 'node:crypto';
import type { VaultRef } from '../arm/resourceId.js';
import type { NewJobInput } from '../jobs/jobModel.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ItemJobInput } from './itemJobInput.js';
import type { ProtectedItemRecord } from './protectedItemRecord.js';

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

