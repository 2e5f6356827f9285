/**
 * A replication protected item as `Microsoft.DataReplication/replicationVaults/protectedItems` shows
 * it (`ProtectedItemModel` with `HyperVToAzStackHCI` custom properties): the same item the ASR view
 * shows, every value taken from the item's record and from that view. Pure.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import { allowedOperations } from '../domain/allowedOperations.js';
import { containerNameOf, fabricPath } from '../infra/fabrics.js';
import type { Job } from '../jobs/jobModel.js';
import { recoveryNicIdOf } from '../protection/protectedItemResource.js';
import { primaryOf, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { drItemId, drJobId, drRecoveryPointId, DR_TYPE, HCI_INSTANCE_TYPE } from './dataReplicationIds.js';
import { dataReplicationStateNames } from './dataReplicationStateNames.js';
import type { AsrHealthError, AsrItemFacts } from './readAsrItemView.js';
import { dataReplicationJobState } from './toJobModel.js';

const GIB = 1024 ** 3;

/** What the view needs besides the record. */
export interface ProtectedItemModelContext {
  /** What the item's ASR view shows (health, progress, replica locations). */
  asr: AsrItemFacts;
  /** The job of the item's current scenario, when it is still stored. */
  currentJob?: Job;
  /** The Hyper-V host that last reported the item's VM on the primary side. */
  sourceHostName?: string;
  /** The network the VM's first adapter is connected to at the primary side, when its host reports adapters. */
  sourceNetworkName?: string;
}

/** A health error of the ASR view as DataReplication's `HealthErrorModel`. */
function toHealthErrorModel(error: AsrHealthError, itemId: string): Record<string, unknown> {
  return {
    affectedResourceType: 'ProtectedItem',
    affectedResourceCorrelationIds: [itemId],
    childErrors: [],
    code: error.errorCode,
    ...(error.errorCategory !== undefined ? { healthCategory: error.errorCategory } : {}),
    ...(error.errorType !== undefined ? { category: error.errorType } : {}),
    ...(error.errorLevel !== undefined ? { severity: error.errorLevel } : {}),
    ...(error.errorSource !== undefined ? { source: error.errorSource } : {}),
    ...(error.creationTimeUtc !== undefined ? { creationTime: error.creationTimeUtc } : {}),
    isCustomerResolvable: error.customerResolvability === 'Allowed',
    ...(error.summaryMessage !== undefined ? { summary: error.summaryMessage } : {}),
    ...(error.errorMessage !== undefined ? { message: error.errorMessage } : {}),
    ...(error.possibleCauses !== undefined ? { causes: error.possibleCauses } : {}),
    ...(error.recommendedAction !== undefined ? { recommendation: error.recommendedAction } : {}),
  };
}

/** `currentJob`: the job of the item's current scenario; omitted when none holds the item. */
function currentJobOf(vault: VaultRef, record: ProtectedItemRecord, job: Job | undefined): Record<string, unknown> | undefined {
  const scenario = record.currentScenario;
  if (!scenario) return undefined;
  return {
    scenarioName: scenario.scenarioName,
    id: drJobId(vault, scenario.jobId),
    name: scenario.jobId,
    ...(job ? { displayName: job.friendlyName, state: dataReplicationJobState(job) } : {}),
    startTime: scenario.startTime,
    ...(job?.endTime ? { endTime: job.endTime } : {}),
  };
}

/** The source VM's ARM id: the protectable item of the VM on the primary side now (after a failback to another site, the VM created there). */
function sourceVmIdOf(vault: VaultRef, record: ProtectedItemRecord): string {
  const primary = primaryOf(record);
  if (primary.vmId.toLowerCase() === record.vmId.toLowerCase() && primary.fabricName.toLowerCase() === record.fabricName.toLowerCase()) return record.protectableItemId;
  return `${fabricPath(vault, primary.fabricName)}/replicationProtectionContainers/${encodeURIComponent(containerNameOf(primary.fabricName))}/replicationProtectableItems/${encodeURIComponent(primary.vmId)}`;
}

function provisioningStateOf(record: ProtectedItemRecord): string {
  if (record.state.protectionState === 'EnablingProtection') return 'Creating';
  if (record.state.protectionState === 'DisablingProtection') return 'Deleting';
  return 'Succeeded';
}

/** The `HyperVToAzStackHCI` custom properties. */
function customPropertiesOf(vault: VaultRef, record: ProtectedItemRecord, context: ProtectedItemModelContext): Record<string, unknown> {
  const recovery = record.recovery;
  const replication = record.replication;
  const state = record.state.protectionState;
  const host = context.sourceHostName;
  // The item's one adapter (the ASR view's `vmNics`): the network it is connected to at the source, and where it connects after failover.
  const nic = {
    nicId: recoveryNicIdOf(record),
    ...(context.sourceNetworkName ? { networkName: context.sourceNetworkName } : {}),
    ...(recovery.networkId ? { targetNetworkId: recovery.networkId } : {}),
    ...(recovery.testNetworkId ? { testNetworkId: recovery.testNetworkId } : {}),
    selectionTypeForFailover: 'SelectedByUser',
  };
  return {
    instanceType: HCI_INSTANCE_TYPE,
    activeLocation: record.state.activeLocation,
    targetHciClusterId: fabricPath(vault, record.recoveryFabricName),
    targetAzStackHciClusterName: record.recoveryFabricName,
    fabricDiscoveryMachineId: record.protectableItemId,
    disksToInclude: record.disks.map((disk) => ({ diskId: disk.diskId, diskSizeGB: Math.ceil(disk.sizeBytes / GIB), diskFileFormat: 'vhd', isOsDisk: disk.isOsDisk, isDynamic: false })),
    nicsToInclude: [nic],
    sourceVmName: record.friendlyName,
    sourceCpuCores: record.cpuCount,
    sourceMemoryInMegaBytes: record.memoryMB,
    targetVmName: recovery.vmName,
    ...(recovery.resourceGroupId ? { targetResourceGroupId: recovery.resourceGroupId } : {}),
    ...(recovery.storageAccountId ? { storageContainerId: recovery.storageAccountId } : {}),
    hyperVGeneration: String(record.generation),
    ...(recovery.networkId ? { targetNetworkId: recovery.networkId } : {}),
    ...(recovery.testNetworkId ? { testNetworkId: recovery.testNetworkId } : {}),
    ...(host ? { sourceFabricAgentName: host, sourceApplianceName: host } : {}),
    osType: record.osType,
    firmwareType: record.generation === 2 ? 'UEFI' : 'BIOS',
    ...(record.failoverRecoveryPointId ? { failoverRecoveryPointId: drRecoveryPointId(vault, record.name, record.failoverRecoveryPointId) } : {}),
    ...(replication.lastPointTime ? { lastRecoveryPointReceived: replication.lastPointTime } : {}),
    ...(replication.lastPointId ? { lastRecoveryPointId: drRecoveryPointId(vault, record.name, replication.lastPointId) } : {}),
    ...(context.asr.initialReplicationProgressPercentage !== undefined ? { initialReplicationProgressPercentage: context.asr.initialReplicationProgressPercentage } : {}),
    ...(state === 'ResynchronizationInProgress' ? { resyncProgressPercentage: replication.initialReplicationPercent ?? 0 } : {}),
    protectedDisks: record.disks.map((disk) => {
      const replica = context.asr.replicaLocations.get(disk.diskId.toLowerCase());
      return {
        ...(recovery.storageAccountId ? { storageContainerId: recovery.storageAccountId } : {}),
        ...(replica ? { storageContainerLocalPath: replica, seedDiskName: replica.split('/').pop() } : {}),
        sourceDiskId: disk.diskId,
        sourceDiskName: disk.name,
        isOsDisk: disk.isOsDisk,
        capacityInBytes: disk.sizeBytes,
        isDynamic: false,
        diskType: 'Fixed',
      };
    }),
    protectedNics: [nic],
    ...(record.recoveryVm ? { targetVmBiosId: record.recoveryVm.vmId } : {}),
    ...(replication.lastReplicatedTime ? { lastReplicationUpdateTime: replication.lastReplicatedTime } : {}),
    // Azure Stack Hub's Site Recovery names the protected VM `sourceAzStackVirtualMachineId` (the
    // VM a re-protect replicates back into and a failback brings up): the id of the VM's
    // protectable item, whose path carries the subscription and resource group it is registered in.
    sourceAzStackVirtualMachineId: sourceVmIdOf(vault, record),
  };
}

/** The item as DataReplication shows it. */
export function toProtectedItemModel(vault: VaultRef, record: ProtectedItemRecord, context: ProtectedItemModelContext): ArmResource {
  const id = drItemId(vault, record.name);
  const names = dataReplicationStateNames(record.state);
  const failoverTime = record.lastSuccessfulFailoverTime;
  const currentJob = currentJobOf(vault, record, context.currentJob);
  const properties: Record<string, unknown> = {
    policyName: record.policyName,
    replicationExtensionName: record.mappingName,
    provisioningState: provisioningStateOf(record),
    ...names,
    fabricObjectId: record.protectableItemId,
    fabricObjectName: record.friendlyName,
    sourceFabricProviderId: 'HyperVSite',
    targetFabricProviderId: 'Azure',
    fabricId: fabricPath(vault, record.fabricName),
    targetFabricId: fabricPath(vault, record.recoveryFabricName),
    resyncRequired: record.replication.pendingResync === true || record.state.protectionState === 'InitialReplicationFailed',
    ...(failoverTime && record.state.lastFailover !== 'Unplanned' ? { lastSuccessfulPlannedFailoverTime: failoverTime } : {}),
    ...(failoverTime && record.state.lastFailover === 'Unplanned' ? { lastSuccessfulUnplannedFailoverTime: failoverTime } : {}),
    ...(record.lastSuccessfulTestFailoverTime ? { lastSuccessfulTestFailoverTime: record.lastSuccessfulTestFailoverTime } : {}),
    ...(currentJob ? { currentJob } : {}),
    allowedJobs: allowedOperations(record.state),
    replicationHealth: context.asr.replicationHealth,
    healthErrors: context.asr.healthErrors.map((error) => toHealthErrorModel(error, id)),
    customProperties: customPropertiesOf(vault, record, context),
  };
  return armResource(id, record.name, DR_TYPE.protectedItem, properties);
}
