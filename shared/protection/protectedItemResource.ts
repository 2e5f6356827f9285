/**
 * The protected item as ASR shows it: `ReplicationProtectedItemProperties` with
 * `HyperVReplicaAzureReplicationDetails` as provider-specific details. `toProtectedItemResource` is
 * pure; `describeProtectedItems` gathers what it needs (the policy's interval, the replica URLs).
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import { allowedOperations } from '../domain/allowedOperations.js';
import type { ProtectionState, TestFailoverState } from '../domain/protectionState.js';
import { computeReplicationHealth } from '../domain/replicationHealth.js';
import { containerPath, fabricPath } from '../infra/fabrics.js';
import type { PolicyRecord } from '../infra/policies.js';
import { policyPath } from '../infra/policies.js';
import { ROW } from '../infra/rowKinds.js';
import { vaultPartition } from '../repos/partitions.js';
import { itemPathOf, PROTECTED_ITEM_TYPE, type ProtectedItemRecord } from './protectedItemRecord.js';
import type { Deps } from '../deps.js';

const MIB = 1024 * 1024;

const PROTECTION_STATE_DESCRIPTIONS: Record<ProtectionState, string> = {
  EnablingProtection: 'Enabling protection',
  EnablingFailed: 'Enabling protection failed',
  InitialReplicationInProgress: 'Initial replication in progress',
  InitialReplicationFailed: 'Initial replication failed',
  Protected: 'Protected',
  ResynchronizationInProgress: 'Resynchronization in progress',
  PlannedFailoverInitiated: 'Planned failover in progress',
  PlannedFailoverFailed: 'Planned failover failed',
  PlannedFailoverCompleted: 'Failover completed',
  UnplannedFailoverInitiated: 'Failover in progress',
  UnplannedFailoverFailed: 'Failover failed',
  UnplannedFailoverCompleted: 'Failover completed',
  ChangeRecoveryPointInitiated: 'Changing recovery point',
  CommitFailoverInProgress: 'Commit in progress',
  CommitFailoverCompleted: 'Failover committed',
  CommitFailoverFailed: 'Commit failed',
  ReprotectInitiated: 'Re-protect in progress',
  ReprotectFailed: 'Re-protect failed',
  DisablingProtection: 'Disabling protection',
  DisablingFailed: 'Disabling protection failed',
};

const TEST_FAILOVER_DESCRIPTIONS: Record<TestFailoverState, string> = {
  None: 'None',
  TestFailoverInitiated: 'Test failover in progress',
  TestFailoverCompleted: 'Cleanup test failover pending',
  TestFailoverFailed: 'Test failover failed',
  TestFailoverCleanupInitiated: 'Test failover cleanup in progress',
};

/** States in which replication is expected to run (health is measured against the interval). */
const REPLICATING: ReadonlySet<ProtectionState> = new Set(['InitialReplicationInProgress', 'Protected', 'ResynchronizationInProgress']);

/** What the view needs besides the record. */
export interface ProtectedItemViewContext {
  /** The policy's replication interval, seconds. */
  replicationIntervalSeconds: number;
  /** URL (without any SAS) of the replica blob of one of the item's disks. */
  replicaBlobUrl(diskId: string): string;
}

/** The id of the item's single network adapter at the recovery site. */
export const recoveryNicIdOf = (record: Pick<ProtectedItemRecord, 'vmId'>): string => `${record.vmId}-nic0`;

/** A blob URL without its query (no SAS ever leaves the service). */
export function withoutQuery(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  return parsed.toString();
}

/** The item as `replicationProtectedItems` GET returns it. Pure. */
export function toProtectedItemResource(vault: VaultRef, record: ProtectedItemRecord, now: Date, context: ProtectedItemViewContext): ArmResource {
  const path = itemPathOf({ ...record, vault });
  const replication = record.replication;
  const state = record.state;
  const health = computeReplicationHealth({
    now,
    replicationIntervalSeconds: context.replicationIntervalSeconds,
    ...(replication.lastPointTime ? { lastRecoveryPointTime: replication.lastPointTime } : {}),
    replicationStartTime: replication.startedAt,
    ...(replication.lastCycleError ? { lastCycleError: replication.lastCycleError } : {}),
    replicating: replication.active && REPLICATING.has(state.protectionState),
    entityId: path,
  });
  const recovery = record.recovery;
  const percent = state.protectionState === 'Protected' ? 100 : (replication.initialReplicationPercent ?? 0);
  const providerSpecificDetails: Record<string, unknown> = {
    instanceType: 'HyperVReplicaAzure',
    azureVmDiskDetails: record.disks.map((disk) => ({
      vhdType: disk.isOsDisk ? 'OperatingSystem' : 'DataDisk',
      vhdId: disk.diskId,
      diskId: disk.diskId,
      vhdName: disk.name,
      maxSizeMB: String(Math.ceil(disk.sizeBytes / MIB)),
      targetDiskLocation: withoutQuery(context.replicaBlobUrl(disk.diskId)),
      targetDiskName: disk.name,
    })),
    recoveryAzureVmName: recovery.vmName,
    recoveryAzureVMSize: recovery.vmSize,
    recoveryAzureStorageAccount: recovery.storageAccountId,
    lastReplicatedTime: replication.lastReplicatedTime,
    rpoInSeconds: health.rpoInSeconds,
    lastRpoCalculatedTime: now.toISOString(),
    lastRecoveryPointReceived: replication.lastPointTime,
    vmId: record.vmId,
    vmProtectionState: state.protectionState,
    vmProtectionStateDescription: PROTECTION_STATE_DESCRIPTIONS[state.protectionState],
    initialReplicationDetails: { initialReplicationType: 'InitialReplication', initialReplicationProgressPercentage: String(percent) },
    vmNics: [
      {
        nicId: recoveryNicIdOf(record),
        recoveryVMNetworkId: recovery.networkId,
        tfoVMNetworkId: recovery.testNetworkId,
        selectionType: 'SelectedByUser',
        ipConfigs: [{ name: 'ipconfig1', isPrimary: true, subnetName: recovery.subnetName, staticIPAddress: recovery.staticIpAddress }],
      },
    ],
    selectedRecoveryAzureNetworkId: recovery.networkId,
    encryption: 'Disabled',
    oSDetails: { osType: record.osType },
    sourceVmRamSizeInMB: record.memoryMB,
    sourceVmCpuCount: record.cpuCount,
    recoveryAzureResourceGroupId: recovery.resourceGroupId,
    useManagedDisks: 'false',
    licenseType: recovery.licenseType ?? 'NotSpecified',
  };
  const properties: Record<string, unknown> = {
    friendlyName: record.friendlyName,
    protectedItemType: 'HyperVVirtualMachine',
    protectableItemId: record.protectableItemId,
    primaryFabricFriendlyName: record.fabricName,
    primaryFabricProvider: 'HyperVSite',
    recoveryFabricFriendlyName: record.recoveryFabricName,
    recoveryFabricId: fabricPath(vault, record.recoveryFabricName),
    primaryProtectionContainerFriendlyName: record.containerName,
    recoveryProtectionContainerFriendlyName: record.recoveryContainerName,
    recoveryContainerId: containerPath(vault, record.recoveryFabricName),
    protectionState: state.protectionState,
    protectionStateDescription: PROTECTION_STATE_DESCRIPTIONS[state.protectionState],
    activeLocation: state.activeLocation,
    testFailoverState: state.testFailoverState,
    testFailoverStateDescription: TEST_FAILOVER_DESCRIPTIONS[state.testFailoverState],
    allowedOperations: allowedOperations(state),
    replicationHealth: health.replicationHealth,
    failoverHealth: 'Normal',
    healthErrors: health.healthErrors,
    policyId: policyPath(vault, record.policyName),
    policyFriendlyName: record.policyName,
    lastSuccessfulFailoverTime: record.lastSuccessfulFailoverTime,
    lastSuccessfulTestFailoverTime: record.lastSuccessfulTestFailoverTime,
    currentScenario: record.currentScenario ?? { scenarioName: 'None', jobId: 'None' },
    failoverRecoveryPointId: record.failoverRecoveryPointId,
    providerSpecificDetails,
  };
  return armResource(path, record.name, PROTECTED_ITEM_TYPE, properties);
}

/**
 * Views of items for a response: loads each distinct policy once (a removed policy counts as the
 * default 5-minute interval) and builds replica URLs from the item's recovery site.
 */
export async function describeProtectedItems(deps: Pick<Deps, 'plane' | 'sites'>, vault: VaultRef, records: readonly ProtectedItemRecord[], now = new Date()): Promise<ArmResource[]> {
  const intervals = new Map<string, number>();
  for (const name of new Set(records.map((record) => record.policyName.toLowerCase()))) {
    const row = await deps.plane.repository.get<PolicyRecord>(vaultPartition(vault), ROW.policy, name);
    intervals.set(name, row?.value.replicationInterval ?? 300);
  }
  return records.map((record) => {
    const site = deps.sites.replicas(vault, record.recoveryFabricName);
    return toProtectedItemResource(vault, record, now, {
      replicationIntervalSeconds: intervals.get(record.policyName.toLowerCase()) ?? 300,
      replicaBlobUrl: (diskId) => site.blobUrl(site.replicaBlobName(record.itemKey, diskId)),
    });
  });
}

/** One item's view (see `describeProtectedItems`). */
export async function describeProtectedItem(deps: Pick<Deps, 'plane' | 'sites'>, vault: VaultRef, record: ProtectedItemRecord, now = new Date()): Promise<ArmResource> {
  const [resource] = await describeProtectedItems(deps, vault, [record], now);
  return resource as ArmResource;
}

