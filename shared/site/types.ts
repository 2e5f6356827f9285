/** The shapes the Hyper-V site keeps and reports. */

/** One virtual disk of a VM: a page blob in the site's container. */
export interface SiteDisk {
  /** GUID, the Hyper-V VHD id. */
  id: string;
  name: string;
  /** Multiple of 512. */
  sizeBytes: number;
  isOsDisk: boolean;
  /** Page blob name inside the site container. */
  blobName: string;
}

export type OsType = 'Windows' | 'Linux';
export type PowerState = 'Running' | 'Off';
/** A VM created from snapshots is `Provisioning` until its disk copies finish. */
export type ProvisioningState = 'Provisioning' | 'Succeeded' | 'Failed';

/** Where a VM is attached (recovery-site VMs: the item's network settings or the test network). */
export interface VmNetwork {
  networkId?: string;
  subnetName?: string;
  ipAddress?: string;
}

/** The recovery point a VM was created from, and why. */
export interface VmOrigin {
  itemKey: string;
  pointId: string;
  purpose: 'test' | 'failover' | 'failback';
}

/** A VM as the Hyper-V host reports it. */
export interface SiteVm {
  /** GUID, the Hyper-V VM id. */
  id: string;
  name: string;
  osType: OsType;
  generation: 1 | 2;
  cpuCount: number;
  memoryMB: number;
  powerState: PowerState;
  disks: SiteDisk[];
  /** True while the service holds the disks (after failover): writes are refused. */
  fenced: boolean;
  /** Only on VMs created from snapshots (absent on VMs a host added). */
  provisioningState?: ProvisioningState;
  /** Size name (e.g. `Standard_D2s_v3`), recovery-site VMs only. */
  vmSize?: string;
  network?: VmNetwork;
  origin?: VmOrigin;
}

/**
 * One write of the VM's history, as the site's change tracking records it. An entry with diskId
 * `UNTRACKED_CHANGES` (length 0) is a barrier: the disks changed in ways the log does not describe
 * (the service wrote them while the VM was fenced), so no delta can be computed across it.
 */
export interface ChangeLogEntry {
  seq: number;
  diskId: string;
  offset: number;
  length: number;
  /** ISO time of the write. */
  time: string;
}

/** A disk of a checkpoint: where its snapshot is. */
export interface CheckpointDisk {
  diskId: string;
  sizeBytes: number;
  container: string;
  blobName: string;
  snapshot: string;
}

/** A consistent point of all of a VM's disks. */
export interface Checkpoint {
  vmId: string;
  /** ISO time at which the disks were held. */
  time: string;
  /** Last write of the VM's history included in the snapshots (0 before any write). */
  seq: number;
  /** diskId → snapshot id. */
  snapshots: Record<string, string>;
  applicationConsistent: boolean;
  disks: CheckpointDisk[];
}

/** diskId of a change-log barrier entry. */
export const UNTRACKED_CHANGES = '*';
