/**
 * The stored protected item: identity, what is protected (VM and disks), where it recovers to, its
 * state in the protection machine, and the replication chain's status. One row per item in the
 * vault's partition (so admission writes the item and its job in one transaction).
 */
import { createHash } from 'node:crypto';
import type { VaultRef } from '../arm/resourceId.js';
import { vaultChildId, vaultId } from '../arm/resourceId.js';
import type { FailoverDirection, ProtectionSnapshot } from '../domain/protectionState.js';
import type { CycleState } from '../replication/cycleState.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';

/** Row kind of protected items (name: [fabric, container, item]). */
export const PROTECTED_ITEM_ROW = 'protectedItem';

export const PROTECTED_ITEM_TYPE =
  'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems';

export interface ProtectedDisk {
  diskId: string;
  name: string;
  sizeBytes: number;
  isOsDisk: boolean;
  /** The source disk at the Hyper-V site. */
  container: string;
  blobName: string;
  /** Added to protection after the item's first recovery point: not yet in any point. */
  awaitingFirstCopy?: boolean;
}

/** Compute and network settings of the VM at the recovery site (`update` changes them). */
export interface RecoveryVmSettings {
  vmName: string;
  vmSize: string;
  networkId?: string;
  subnetName?: string;
  testNetworkId?: string;
  resourceGroupId?: string;
  storageAccountId?: string;
  staticIpAddress?: string;
  licenseType?: string;
}

/** A VM the service created at the recovery site from a recovery point. */
export interface RecoveryVmRef {
  vmId: string;
  name: string;
  /** The recovery point the VM was created from, its points key, and the job that pinned it. */
  pointId: string;
  pointsKey: string;
  pinnedBy: string;
}

/** The replication chain of an item: one cycle at a time, advanced by queue messages. */
export interface ReplicationStatus {
  /** Bumped whenever replication (re)starts or stops; messages of another generation are stale. */
  generation: number;
  /** The token the next chain message must carry (exactly one live chain per item). */
  token: string;
  /** The token before the last advance: a redelivered message carrying it re-sends the current one. */
  previousToken?: string;
  /** The previous token whose redelivery already re-sent the current one (once per advance, so redeliveries do not multiply the chain). */
  resentFor?: string;
  /** The next cycle compares every chunk by hash (repair, resync) instead of a delta. */
  pendingResync?: boolean;
  /** An operation waits for a point taken at or after this time (ISO): cycles run back to back until then. */
  pointWantedBy?: string;
  /** Whether a chain should run (false while failed over, disabled, or cancelled). */
  active: boolean;
  /** The cycle in progress, if any. */
  cycle?: CycleState;
  /** The policy's replication interval when the cycle in progress was planned: its finish schedules the next cycle by it. */
  cycleIntervalSeconds?: number;
  /** When a planning step last swept the orphaned replication checkpoints of the source VM (ISO). */
  checkpointsSweptAt?: string;
  /** When the next cycle is due (ISO). */
  nextCycleAt?: string;
  /** The time the chain last advanced (ISO), for the watchdog that re-seeds lost chains. */
  touchedAt: string;
  /** When replication in the current direction started (ISO). */
  startedAt: string;
  lastSeq?: number;
  lastPointId?: string;
  /** The point `lastPointId` names, as recorded (without its pins): the next cycle plans from it without reading it back. */
  lastPoint?: Omit<RecoveryPoint, 'pinnedBy'>;
  lastPointTime?: string;
  lastAppConsistentPointTime?: string;
  lastReplicatedTime?: string;
  initialReplicationPercent?: number;
  /** Bytes sent by the last completed cycle and its kind, for operators and benchmarks. */
  lastCycle?: { kind: CycleState['kind']; bytesUploaded: number; bytesTotal: number; durationMs: number };
  lastCycleError?: { code: string; message: string; time: string };
}

export interface ProtectedItemRecord {
  /** The vault the item belongs to (its row's partition is the vault's). */
  vault: VaultRef;
  name: string;
  fabricName: string;
  containerName: string;
  /** Key used for replica blobs and recovery points (URL- and blob-safe, stable). */
  itemKey: string;
  friendlyName: string;
  protectableItemId: string;
  vmId: string;
  osType: 'Windows' | 'Linux';
  generation: number;
  cpuCount: number;
  memoryMB: number;
  policyName: string;
  mappingName: string;
  recoveryFabricName: string;
  recoveryContainerName: string;
  disks: ProtectedDisk[];
  recovery: RecoveryVmSettings;
  state: ProtectionSnapshot;
  currentScenario?: { scenarioName: string; jobId: string; startTime: string };
  initialReplicationJobId?: string;
  replication: ReplicationStatus;
  /** Where the VM lives on the primary side after a failback to an alternate site (else the original VM). */
  primary?: PrimaryVm;
  /** The VM running at the recovery site after failover; the source of re-protect. */
  recoveryVm?: RecoveryVmRef;
  /** The test failover's VM, until cleanup. */
  testVm?: RecoveryVmRef & { networkId?: string };
  /** Re-protect found the original VM gone and recreated it (a failback with `NoAction` refuses it). */
  originalVmRecreated?: boolean;
  lastSuccessfulFailoverTime?: string;
  lastSuccessfulTestFailoverTime?: string;
  failoverRecoveryPointId?: string;
  createdAt: string;
  updatedAt: string;
}

/** The VM on the primary side: the protected VM, or the one a failback to another site created. */
export interface PrimaryVm {
  fabricName: string;
  vmId: string;
  disks: ProtectedDisk[];
}

/** The item's VM on the primary side now. */
export function primaryOf(record: Pick<ProtectedItemRecord, 'primary' | 'fabricName' | 'vmId' | 'disks'>): PrimaryVm {
  return record.primary ?? { fabricName: record.fabricName, vmId: record.vmId, disks: record.disks };
}

/** The ARM path of a protected item. */
export function protectedItemPath(vault: VaultRef, fabricName: string, containerName: string, itemName: string): string {
  return vaultChildId(
    vault,
    ['replicationFabrics', fabricName],
    ['replicationProtectionContainers', containerName],
    ['replicationProtectedItems', itemName],
  );
}

/** A stable storage key for an item: 32 hex digits of its vault id and names (case-insensitive). */
export function itemKeyOf(vault: VaultRef, fabricName: string, containerName: string, itemName: string): string {
  return createHash('sha256')
    .update([vaultId(vault), fabricName, containerName, itemName].join('\n').toLowerCase())
    .digest('hex')
    .slice(0, 32);
}

/** The item key of reverse-direction recovery points. */
export const reversePointsKey = (itemKey: string): string => `${itemKey}-r`;

/** The key the item's recovery points of `direction` (default: its current direction) are stored under. */
export const pointsKeyOf = (record: Pick<ProtectedItemRecord, 'itemKey' | 'state'>, direction: FailoverDirection = record.state.replicationDirection): string =>
  direction === 'PrimaryToRecovery' ? record.itemKey : reversePointsKey(record.itemKey);

/** The row name of an item: `[fabric, container, item]`. */
export const itemRowName = (item: Pick<ProtectedItemRecord, 'fabricName' | 'containerName' | 'name'>): string[] => [item.fabricName, item.containerName, item.name];

/** The item's ARM path. */
export const itemPathOf = (item: Pick<ProtectedItemRecord, 'vault' | 'fabricName' | 'containerName' | 'name'>): string =>
  protectedItemPath(item.vault, item.fabricName, item.containerName, item.name);

/** ASR's `targetInstanceType` of jobs on protected items. */
export const PROTECTED_ITEM_JOB_TARGET = 'ProtectionEntity';
