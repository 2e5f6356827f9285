/**
 * The port through which the service works with a site that runs VMs: the Hyper-V site VMs are
 * protected from, and the recovery site's VM host that test and failed-over VMs run on.
 *
 * The service never reaches past this port: it checkpoints a VM (holding its writes on all disks
 * while they are snapshotted), reads the checkpoint's disks and the site's change tracking, fences a
 * VM's disks after failover, creates VMs from recovery-point snapshots, shuts VMs down and starts
 * them. The local Hyper-V site (`./hyperv/`) implements it on blob storage; an agent serving VMs
 * whose disks are image files on a real host would implement it on its own.
 */
import type { DiskSource } from '../replication/diskSource.js';
import type { ReplicaTarget } from '../replication/replicaTarget.js';
import type { ChangeLogEntry, Checkpoint, CheckpointOptions, CreateVmFromSnapshotsOptions, EmptyVmSpec, RemoveVmOptions, SiteVm, UnfenceOptions, VmProvisioning } from './types.js';

export interface SiteAdapter extends DiskSource {
  /** Prepares the site to hold VMs (idempotent). */
  ensure(): Promise<void>;
  listVms(): Promise<SiteVm[]>;
  /** The VM, or `undefined` when the site has no such VM. */
  getVm(vmId: string): Promise<SiteVm | undefined>;
  /** Creates a VM with empty disks of the given ids and sizes. */
  createEmptyVm(spec: EmptyVmSpec): Promise<SiteVm>;
  /**
   * Creates a VM whose disks are copies of snapshots (a recovery point's): the VM is recorded
   * `Provisioning` (powered off), the copies start, and `vmProvisioning` finishes it. Idempotent for
   * the same id: an existing VM is returned unchanged (one still provisioning has its copies started
   * again where they had not). Refused (`SiteError` `VmRemoved`) for the id of a retired VM.
   */
  createVmFromSnapshots(spec: CreateVmFromSnapshotsOptions): Promise<SiteVm>;
  /** One bounded look at a VM being created; `Succeeded` (in its requested power state) once every copy is done. */
  vmProvisioning(vmId: string): Promise<VmProvisioning>;
  /** Shuts the guest down: writes in flight finish, then the VM is Off. */
  shutdown(vmId: string): Promise<SiteVm>;
  /** Starts the VM; refused (`SiteError` `VmFenced`) while fenced. */
  start(vmId: string): Promise<SiteVm>;
  /**
   * Removes the VM with its disks (pending copies aborted); refused while fenced; idempotent. With
   * `retire` (a VM the service made for an item and is done with) a mark stays under its id, so a
   * create of that id arriving late — a duplicate of the step that made it — is refused instead of
   * bringing the VM back.
   */
  removeVm(vmId: string, options?: RemoveVmOptions): Promise<void>;
  /** Deletes the marks of the VMs retired for `itemKey` (disable protection); returns how many went. */
  forgetRetiredVms(itemKey: string): Promise<number>;
  /**
   * What keeps the service from writing a VM's disks again (re-protect into the original disks): the
   * VM, a disk or its data missing, or a size that differs — one sentence each; empty when all is there.
   */
  findMissingDisks(vmId: string, disks: ReadonlyArray<{ id: string; sizeBytes: number }>): Promise<string[]>;
  /** Holds the VM's writes on all its disks and snapshots them together. */
  checkpoint(vmId: string, options?: CheckpointOptions): Promise<Checkpoint>;
  /**
   * The VM as it is now, when its history has had no write since `seq` (none logged, so none in
   * flight): a checkpoint without snapshots (each disk's `snapshot` empty), its time now, its seq
   * `seq`, so a cycle with nothing to copy neither holds the VM's writes nor snapshots its disks.
   * Undefined when a write may have been made since: take a checkpoint.
   */
  unchangedSince?(vmId: string, seq: number): Promise<Checkpoint | undefined>;
  /** Deletes a checkpoint's snapshots (idempotent; a disk without one is skipped). */
  deleteCheckpoint(checkpoint: Pick<Checkpoint, 'disks'>): Promise<void>;
  /**
   * Deletes the VM's checkpoints taken with `tag` (before `olderThan`, when given) — those a crash
   * or a lost answer left behind; returns how many snapshots went.
   */
  deleteCheckpoints(vmId: string, tag: string, olderThan?: Date): Promise<number>;
  /** The service takes the VM's disks: every other writer's writes fail until `unfence`. */
  fence(vmId: string): Promise<void>;
  /**
   * Hands the disks back. With `historySeq` (failback: the disks hold writes 1..historySeq of the
   * recovery VM's history, brought back by reverse replication) the change log continues after it.
   */
  unfence(vmId: string, options?: UnfenceOptions): Promise<void>;
  /**
   * A fenced VM's own disks as a replication target, written under the fence (re-protect replicates
   * the recovery VM back into them; failback restores them to a point).
   */
  fencedDiskTarget(vmId: string): FencedDiskTarget;
  /** Where a VM's disk can be seen (no credential in it), for resource views. */
  diskUrl(vmId: string, diskId: string): string;
  /**
   * The VM's write history in order (each write's sequence number, disk and range), when the site
   * records one: a drill then checks its test VM holds a prefix of it.
   */
  readWriteLog?(vmId: string): Promise<ChangeLogEntry[]>;
}

/** A fenced VM's disks as the replication engine writes them: each disk under the name the site reported (`SiteDisk.blobName`). */
export interface FencedDiskTarget {
  target: ReplicaTarget;
  /** The lease the service holds on the disks while they are fenced. */
  leaseId: string;
}
