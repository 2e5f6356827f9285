/** The shapes a site keeps and reports (the site port's vocabulary). */
import type { ByteRange } from './byteRanges.js';

/** One virtual disk of a VM: a page blob in the site's container. */
export interface SiteDisk {
  /** GUID, the Hyper-V VHD id. */
  id: string;
  name: string;
  /** Multiple of 512. */
  sizeBytes: number;
  isOsDisk: boolean;
  /** Where the disk's data is at a blob-backed site: its container and page blob. */
  container: string;
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

/** A network adapter of a VM at a Hyper-V site: the network it is connected to and its address. */
export interface SiteNic {
  /** The network's name at the site (a virtual switch or VM network). */
  networkName: string;
  ipAddress?: string;
  /** `Static` when the guest's address is fixed (default `Dynamic`). */
  ipAddressType?: 'Static' | 'Dynamic';
}

/** A network of a Hyper-V site that VMs connect to, with its subnets' address prefixes. */
export interface HostNetwork {
  name: string;
  subnets: Array<{ name: string; addressPrefixes: string[] }>;
}

/** The recovery point a VM was created from, and why. */
/** Options of a VM's removal. */
export interface RemoveVmOptions {
  /** A VM the service made for this item: a mark stays in place of its record, so a late create of the id is refused. */
  retire?: { itemKey: string };
}

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
  /** Network adapters of a VM a host added (absent when it has none). */
  nics?: SiteNic[];
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

/** Changed ranges of a VM's disks between two points of its history. */
export interface ChangedRanges {
  /** False when the log misses some write in the interval (then use page ranges instead). */
  complete: boolean;
  /** diskId → merged changed byte ranges. */
  disks: Record<string, ByteRange[]>;
  writes: number;
}

/**
 * A disk snapshot a site copies a new disk from (a recovery point's disk). A site in the same
 * storage account copies `url` server-side; any other site reads `sasUrl()`, a read-only URL valid
 * for a short while, which is never kept, returned or logged.
 */
export interface SnapshotSource {
  url: string;
  sasUrl(): Promise<string>;
}

/** A disk of a VM created from snapshots: a copy of one snapshot. */
export interface CreateVmDisk {
  /** Keep the protected disk's id (the workload's stamps and the replicas are keyed by it). */
  id: string;
  name: string;
  /** Must equal the snapshot's size. */
  sizeBytes: number;
  isOsDisk: boolean;
  source: SnapshotSource;
}

export interface CreateVmFromSnapshotsOptions {
  /** GUID; creating the same id again returns the VM already there. */
  id: string;
  name: string;
  osType: OsType;
  generation: 1 | 2;
  cpuCount: number;
  memoryMB: number;
  vmSize?: string;
  network?: VmNetwork;
  origin?: VmOrigin;
  /** Power state once provisioned (default Running). */
  powerState?: PowerState;
  /**
   * Last write of the history the snapshots hold (the recovery point's seq): the VM's own writes
   * continue after it, so its history extends the source VM's (default 0).
   */
  historySeq?: number;
  disks: CreateVmDisk[];
}

/** A VM with empty disks of given ids and sizes (re-protect recreating a VM its site lost). */
export interface EmptyVmSpec {
  /** GUID. */
  id: string;
  name: string;
  osType: OsType;
  generation: 1 | 2;
  cpuCount: number;
  memoryMB: number;
  powerState: PowerState;
  disks: Array<{ id: string; name: string; sizeBytes: number; isOsDisk: boolean }>;
}

/** Where the creation of a VM from snapshots stands. */
export interface VmProvisioning {
  state: ProvisioningState;
  /** Percent of the disks' bytes copied. */
  progress: number;
  error?: string;
}

export interface UnfenceOptions {
  /**
   * Last write of the history the disks now hold: the seq of the last reverse recovery point, when
   * the disks hold exactly that point (no cycle written after it).
   */
  historySeq?: number;
}

export interface CheckpointOptions {
  /** Ask the guest to quiesce first; falls back to crash-consistent when it does not answer. */
  applicationConsistent?: boolean;
  /** How long to wait for the guest's quiesce answer (default 3 s). */
  quiesceTimeoutInMs?: number;
  /** Marks the checkpoint's snapshots as its taker's, so `deleteCheckpoints` can find them again. */
  tag?: string;
}
