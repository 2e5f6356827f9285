/**
 * Checkpoints, as Hyper-V takes them: the VM's writes are held on all its disks (the service takes a
 * short lease on every disk, so the workload's writes wait) while the disks are snapshotted
 * together, which makes the snapshots crash-consistent across disks. An application-consistent
 * checkpoint first asks the guest to quiesce (the workload answers at a write boundary), as VSS does.
 *
 * A hold takes a disk from the guest only (it ends the guest's lease, whose id is known); one
 * checkpoint never takes a disk from another, so concurrent checkpoints of a VM take turns, disk by
 * disk in the same order. A hold that may have lapsed before the checkpoint was complete (storage was
 * slow) does not count: the checkpoint is taken again. A fence that arrives while a checkpoint holds
 * the disks breaks the holds itself (`takeLease`), and a hold released after that finds the fence's
 * lease and leaves it, so a checkpoint never has to look for a fence afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { PageBlobClient } from '@azure/storage-blob';
import { RetryLaterError } from '../../errors/RetryLaterError.js';
import { SiteError } from '../../errors/SiteError.js';
import { statusOf } from '../../errors/storageStatus.js';
import { leaseIdFor, releaseLease, sleep, takeLease } from '../../storage/leases.js';
import { UNTRACKED_CHANGES, type Checkpoint, type CheckpointOptions, type SiteDisk, type SiteVm } from '../types.js';
import { readSectorStamp, SECTOR_SIZE } from './sectorStamp.js';
import { ackName, diskPrefix, type QuiesceAck, type SiteStore, type StoredVm } from './siteStore.js';

const HOLD_SECONDS = 15;
/** A checkpoint whose holds are older than this when it is complete is taken again (the holds may have lapsed). */
const HOLD_TRUSTED_MS = (HOLD_SECONDS - 3) * 1000;
/** How long a checkpoint waits for another one's holds before it gives up (retryably). */
const HOLD_WAIT_MS = 10_000;
const ATTEMPTS = 3;
/** Metadata naming who took a checkpoint's snapshot. */
const CHECKPOINT_TAG = 'checkpointtag';

export function assertProvisioned(vm: StoredVm): void {
  if (vm.provisioningState === 'Provisioning' || vm.provisioningState === 'Failed') {
    throw new SiteError('VmProvisioning', `VM '${vm.id}' is not provisioned (${vm.provisioningState}).`);
  }
}

/** Lease states of a VM's disks ('leased' while a writer holds one). */
export function leaseStates(store: SiteStore, vm: SiteVm): Promise<string[]> {
  return Promise.all(vm.disks.map(async (disk) => (await store.diskBlob(disk).getProperties()).leaseState ?? 'available'));
}

/** The fence: the service's lease on every disk of the VM, held until unfence. */
export async function holdFence(store: SiteStore, vm: SiteVm): Promise<void> {
  await Promise.all(vm.disks.map((disk) => takeLease(store.diskBlob(disk), fenceLeaseIdOf(vm.id), -1)));
}

export const fenceLeaseIdOf = (vmId: string): string => leaseIdFor(`fence:${vmId.toLowerCase()}`);

/** The lease the guest writes its disks under (one per VM, so a checkpoint can end it and no other). */
export const guestLeaseIdOf = (vmId: string): string => leaseIdFor(`guest:${vmId.toLowerCase()}`);

/**
 * Holds a disk for a checkpoint: takes it when free, or from the guest (its lease is released, so its
 * next write waits); while another checkpoint (or the fence) has it, waits. Returns when the hold
 * was asked for (it lasts HOLD_SECONDS from no earlier than that).
 */
async function holdDisk(blob: PageBlobClient, holdId: string, guestLeaseId: string): Promise<number> {
  const deadline = Date.now() + HOLD_WAIT_MS;
  for (;;) {
    const askedAt = Date.now();
    try {
      await blob.getBlobLeaseClient(holdId).acquireLease(HOLD_SECONDS);
      return askedAt;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    try {
      await blob.getBlobLeaseClient(guestLeaseId).releaseLease();
      continue;
    } catch (error) {
      if (statusOf(error) !== 409 && statusOf(error) !== 412) throw error;
    }
    if (Date.now() > deadline) throw new RetryLaterError(`Another checkpoint of the VM holds disk '${blob.name}'; try again.`, 1_000);
    await sleep(20);
  }
}

/** The last write of the VM's history the snapshots hold: the log's last write, if its stamp is on disk. */
async function lastWriteIncluded(store: SiteStore, vm: StoredVm, disks: Map<string, { blob: PageBlobClient; snapshot: string }>): Promise<number> {
  const base = vm.historySeq ?? 0;
  const last = await store.changeLog(vm.id).last();
  if (!last || last.seq <= base) return base;
  if (last.diskId === UNTRACKED_CHANGES) return last.seq;
  const disk = disks.get(last.diskId);
  if (!disk) return last.seq - 1;
  const sector = await disk.blob.withSnapshot(disk.snapshot).downloadToBuffer(last.offset, SECTOR_SIZE);
  return readSectorStamp(sector)?.seq === last.seq ? last.seq : last.seq - 1;
}

async function requestQuiesce(store: SiteStore, vmId: string, timeoutMs: number): Promise<QuiesceAck | undefined> {
  const requestId = randomUUID();
  await store.updateVm(vmId, (vm) => ({ ...vm, quiesce: { requestId, requestedAt: new Date().toISOString() } }));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const ack = JSON.parse((await store.container.getBlockBlobClient(ackName(vmId)).downloadToBuffer()).toString('utf8')) as QuiesceAck;
      if (ack.requestId === requestId) return ack;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    await sleep(20);
  }
  return undefined;
}

/** Holds the VM's writes on all its disks and snapshots them together. */
export async function checkpoint(store: SiteStore, vmId: string, options: CheckpointOptions = {}): Promise<Checkpoint> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const taken = await checkpointOnce(store, vmId, options);
    if (taken.held) return taken.checkpoint;
    await deleteCheckpoint(store, taken.checkpoint);
  }
  throw new RetryLaterError(`A checkpoint of VM '${vmId}' took longer than its hold on the disks ${ATTEMPTS} times; try again.`, 1_000);
}

/** One try: the checkpoint, and whether the holds certainly lasted until it was complete. */
async function checkpointOnce(store: SiteStore, vmId: string, options: CheckpointOptions): Promise<{ checkpoint: Checkpoint; held: boolean }> {
  const { vm } = await store.readVmRecord(vmId);
  assertProvisioned(vm);
  let applicationConsistent = options.applicationConsistent ?? false;
  // Only an application-consistent checkpoint asks the guest to quiesce, and only a running guest can answer.
  const writersActive = applicationConsistent && !vm.fenced && (await leaseStates(store, vm)).some((state) => state === 'leased');
  let quiesced = false;
  if (applicationConsistent && writersActive) {
    quiesced = (await requestQuiesce(store, vmId, options.quiesceTimeoutInMs ?? 3000)) !== undefined;
    applicationConsistent = quiesced;
  }
  const holdId = randomUUID();
  const held = vm.fenced ? [] : vm.disks;
  const taken: SiteDisk[] = [];
  let holdingSince: number | undefined;
  try {
    for (const disk of held) {
      const askedAt = await holdDisk(store.diskBlob(disk), holdId, guestLeaseIdOf(vm.id));
      holdingSince ??= askedAt;
      taken.push(disk);
    }
    const time = new Date().toISOString();
    const snapshots = await Promise.all(
      vm.disks.map(async (disk) => {
        const { snapshot } = await store.diskBlob(disk).createSnapshot(options.tag ? { metadata: { [CHECKPOINT_TAG]: options.tag } } : {});
        if (!snapshot) throw new Error(`Storage returned no snapshot id for disk '${disk.id}'.`);
        return snapshot;
      }),
    );
    const byDisk = new Map(vm.disks.map((disk, i) => [disk.id, { blob: store.diskBlob(disk), snapshot: snapshots[i] ?? '' }]));
    const seq = await lastWriteIncluded(store, vm, byDisk);
    const checkpoint: Checkpoint = {
      vmId: vm.id,
      time,
      seq,
      snapshots: Object.fromEntries(vm.disks.map((disk, i) => [disk.id, snapshots[i] ?? ''])),
      applicationConsistent,
      disks: vm.disks.map((disk, i) => ({ diskId: disk.id, sizeBytes: disk.sizeBytes, container: store.containerName, blobName: disk.blobName, snapshot: snapshots[i] ?? '' })),
    };
    return { checkpoint, held: holdingSince === undefined || Date.now() - holdingSince < HOLD_TRUSTED_MS };
  } finally {
    await Promise.all(taken.map((disk) => releaseLease(store.diskBlob(disk), holdId)));
    if (quiesced || (options.applicationConsistent && writersActive)) {
      await store.updateVm(vmId, (current) => {
        const { quiesce: _done, ...rest } = current;
        return rest;
      });
    }
  }
}

/** Deletes the VM's snapshots tagged `tag` (taken before `olderThan`, when given). */
export async function deleteCheckpoints(store: SiteStore, vmId: string, tag: string, olderThan?: Date): Promise<number> {
  let deleted = 0;
  for await (const item of store.container.listBlobsFlat({ prefix: diskPrefix(vmId), includeSnapshots: true, includeMetadata: true })) {
    if (!item.snapshot || item.metadata?.[CHECKPOINT_TAG] !== tag) continue;
    if (olderThan && Date.parse(item.snapshot) >= olderThan.getTime()) continue;
    await store.container.getPageBlobClient(item.name).withSnapshot(item.snapshot).deleteIfExists();
    deleted++;
  }
  return deleted;
}

/**
 * A checkpoint without snapshots when the VM's history is still at `seq`: its log's last write (or the
 * history its disks came with) is `seq`. The guest logs each write before making it, so no write has
 * been made or is in flight since, and the disks hold what a checkpoint at `seq` held. Its disks are
 * listed too (one request): one gone or of another size needs a real checkpoint, which reports it.
 */
export async function unchangedSince(store: SiteStore, vmId: string, seq: number): Promise<Checkpoint | undefined> {
  const { vm } = await store.readVmRecord(vmId);
  assertProvisioned(vm);
  const last = await store.changeLog(vm.id).last();
  if (Math.max(vm.historySeq ?? 0, last?.seq ?? 0) !== seq) return undefined;
  const sizes = new Map<string, number | undefined>();
  for await (const blob of store.container.listBlobsFlat({ prefix: diskPrefix(vm.id) })) sizes.set(blob.name, blob.properties.contentLength);
  if (vm.disks.some((disk) => sizes.get(disk.blobName) !== disk.sizeBytes)) return undefined;
  return {
    vmId: vm.id,
    time: new Date().toISOString(),
    seq,
    snapshots: {},
    applicationConsistent: false,
    disks: vm.disks.map((disk) => ({ diskId: disk.id, sizeBytes: disk.sizeBytes, container: store.containerName, blobName: disk.blobName, snapshot: '' })),
  };
}

/** Deletes a checkpoint's source snapshots (idempotent; a disk without a snapshot is skipped, never the disk itself). */
export async function deleteCheckpoint(store: SiteStore, checkpointToDelete: Pick<Checkpoint, 'disks'>): Promise<void> {
  await Promise.all(checkpointToDelete.disks.filter((disk) => disk.snapshot).map((disk) => store.container.getPageBlobClient(disk.blobName).withSnapshot(disk.snapshot).deleteIfExists()));
}
