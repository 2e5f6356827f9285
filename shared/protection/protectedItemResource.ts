/**
 * The protected item as ASR shows it: `ReplicationProtectedItemProperties` with
 * `HyperVReplicaAzureReplicationDetails` as provider-specific details. `toProtectedItemResource` is
 * pure; `describeProtectedItems` gathers what it needs (the policy's interval, the replica URLs).
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultId, type VaultRef } from '../arm/resourceId.js';
import { allowedOperations } from '../domain/allowedOperations.js';
import { asrStateNames } from '../domain/asrStateNames.js';
import { computeFailoverHealth } from '../domain/failoverHealth.js';
import type { ProtectionState } from '../domain/protectionState.js';
import { computeReplicationHealth } from '../domain/replicationHealth.js';
import { containerPath, fabricPath } from '../infra/fabrics.js';
import type { PolicyRecord } from '../infra/policies.js';
import { policyPath } from '../infra/policies.js';
import { ROW } from '../infra/rowKinds.js';
import { factsKeyOf, itemNetworkFacts, type ItemNetworkFacts } from '../networks/itemNetworkFacts.js';
import { nicViewOf } from '../networks/nicView.js';
import { vaultPartition } from '../repos/partitions.js';
import { itemPathOf, PROTECTED_ITEM_TYPE, type ProtectedItemRecord } from './protectedItemRecord.js';
import type { Deps } from '../deps.js';

const MIB = 1024 * 1024;

/** States in which replication is expected to run (health is measured against the interval). */
const REPLICATING: ReadonlySet<ProtectionState> = new Set(['InitialReplicationInProgress', 'Protected', 'ResynchronizationInProgress']);

/** What the view needs besides the record. */
export interface ProtectedItemViewContext {
  /** The policy's replication interval, seconds. */
  replicationIntervalSeconds: number;
  /** URL (without any SAS) of the replica blob of one of the item's disks. */
  replicaBlobUrl(diskId: string): string;
  /** The source VM's adapter and the network it is mapped to (`networks/itemNetworkFacts.ts`). */
  network?: ItemNetworkFacts;
}

/** ASR's start time of the idle scenario (`currentScenario` when no job runs on the item). */
const NO_SCENARIO_START = '1753-01-01T01:01:01Z';

/**
 * A disk's protection as the operator sees it per disk: `Protected` once its first copy reached the
 * recovery site (the item has a recovery point that holds it, or the running initial cycle has moved
 * past it), else `InitialReplicationInProgress`.
 */
export function diskProtectionState(record: Pick<ProtectedItemRecord, 'replication' | 'disks'>, diskId: string): 'Protected' | 'InitialReplicationInProgress' {
  const disk = record.disks.find((candidate) => candidate.diskId === diskId);
  if (disk?.awaitingFirstCopy !== true && record.replication.lastPointId !== undefined) return 'Protected';
  const cycle = record.replication.cycle;
  if (!cycle) return 'InitialReplicationInProgress';
  const index = cycle.disks.findIndex((candidate) => candidate.diskId === diskId);
  return index >= 0 && index < cycle.cursor.disk ? 'Protected' : 'InitialReplicationInProgress';
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
  const failover = computeFailoverHealth({
    now,
    friendlyName: record.friendlyName,
    lastSuccessfulTestFailoverTime: record.lastSuccessfulTestFailoverTime,
    replicating: replication.active && REPLICATING.has(state.protectionState) && replication.lastPointId !== undefined,
    entityId: path,
  });
  const names = asrStateNames(state);
  const recovery = record.recovery;
  const percent = state.protectionState === 'Protected' ? 100 : (replication.initialReplicationPercent ?? 0);
  const providerSpecificDetails: Record<string, unknown> = {
    instanceType: 'HyperVReplicaAzure',
    azureVmDiskDetails: record.disks.map((disk, index) => ({
      vhdType: disk.isOsDisk ? 'OperatingSystem' : 'DataDisk',
      vhdId: disk.diskId,
      diskId: disk.diskId,
      vhdName: disk.name,
      maxSizeMB: String(Math.ceil(disk.sizeBytes / MIB)),
      targetDiskLocation: withoutQuery(context.replicaBlobUrl(disk.diskId)),
      targetDiskName: disk.name,
      lunId: String(index),
      protectionState: diskProtectionState(record, disk.diskId),
    })),
    recoveryAzureVmName: recovery.vmName,
    recoveryAzureVMSize: recovery.vmSize,
    recoveryAzureStorageAccount: recovery.storageAccountId,
    lastReplicatedTime: replication.lastReplicatedTime,
    rpoInSeconds: health.rpoInSeconds,
    lastRpoCalculatedTime: now.toISOString(),
    lastRecoveryPointReceived: replication.lastPointTime,
    vmId: record.vmId,
    vmProtectionState: names.protectionState,
    vmProtectionStateDescription: names.protectionStateDescription,
    initialReplicationDetails: { initialReplicationType: 'InitialReplication', initialReplicationProgressPercentage: String(percent) },
    vmNics: [{ nicId: recoveryNicIdOf(record), ...nicViewOf(recovery, context.network) }],
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
    ...names,
    activeLocation: state.activeLocation,
    allowedOperations: allowedOperations(state),
    replicationHealth: health.replicationHealth,
    failoverHealth: failover.failoverHealth,
    healthErrors: [...health.healthErrors, ...failover.healthErrors],
    policyId: policyPath(vault, record.policyName),
    policyFriendlyName: record.policyName,
    lastSuccessfulFailoverTime: record.lastSuccessfulFailoverTime,
    lastSuccessfulTestFailoverTime: record.lastSuccessfulTestFailoverTime,
    currentScenario: record.currentScenario
      ? { ...record.currentScenario, jobId: `${vaultId(vault)}/replicationJobs/${record.currentScenario.jobId}` }
      : { scenarioName: 'None', jobId: `${vaultId(vault)}/replicationJobs/None`, startTime: NO_SCENARIO_START },
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
  const networks = await itemNetworkFacts(deps.plane.repository, vault, records);
  return records.map((record) => {
    const site = deps.sites.replicas(vault, record.recoveryFabricName);
    return toProtectedItemResource(vault, record, now, {
      replicationIntervalSeconds: intervals.get(record.policyName.toLowerCase()) ?? 300,
      replicaBlobUrl: (diskId) => site.blobUrl(site.replicaBlobName(record.itemKey, diskId)),
      network: networks.get(factsKeyOf(record)),
    });
  });
}

/** One item's view (see `describeProtectedItems`). */
export async function describeProtectedItem(deps: Pick<Deps, 'plane' | 'sites'>, vault: VaultRef, record: ProtectedItemRecord, now = new Date()): Promise<ArmResource> {
  const [resource] = await describeProtectedItems(deps, vault, [record], now);
  return resource as ArmResource;
}

