/**
 * VMs created from snapshots (a recovery point's): each disk a server-side copy of one snapshot. The
 * VM is recorded `Provisioning` (powered off) while the copies run and made `Succeeded` in its
 * requested power state, or `Failed` with the reason, by `vmProvisioning`. A record whose copies
 * have not all started (a creation cut short) is completed by calling create again.
 */
import { BlobClient } from '@azure/storage-blob';
import { SiteError } from '../../errors/SiteError.js';
import { statusOf } from '../../errors/storageStatus.js';
import type { CreateVmFromSnapshotsOptions, SiteDisk, SiteVm, SnapshotSource, VmProvisioning } from '../types.js';
import { inAccount, readDiskCopy, startDiskCopy } from './diskCopy.js';
import { SECTOR_SIZE } from './sectorStamp.js';
import { diskBlobName, GUID, isRetired, type SiteStore, type StoredVm } from './siteStore.js';
import { deleteVmDisks } from './vmLifecycle.js';

const DISK_ID = /^[A-Za-z0-9_.-]{1,90}$/;

function validateCreate(options: CreateVmFromSnapshotsOptions): void {
  if (!GUID.test(options.id)) throw new SiteError('InvalidVm', 'VM id must be a GUID.');
  if (!options.name || options.name.length > 64) throw new SiteError('InvalidVm', 'VM name must have 1-64 characters.');
  if (options.disks.length === 0) throw new SiteError('InvalidVm', 'A VM needs at least one disk.');
  if (options.disks.filter((disk) => disk.isOsDisk).length !== 1) throw new SiteError('InvalidVm', 'A VM needs exactly one OS disk.');
  if (new Set(options.disks.map((disk) => disk.id.toLowerCase())).size !== options.disks.length) throw new SiteError('InvalidVm', 'Disk ids must be unique.');
  if (options.historySeq !== undefined && !(Number.isSafeInteger(options.historySeq) && options.historySeq >= 0)) {
    throw new SiteError('InvalidVm', 'History seq must be a non-negative integer.');
  }
  for (const disk of options.disks) {
    if (!DISK_ID.test(disk.id)) throw new SiteError('InvalidVm', "Disk id must have 1-90 letters, digits, '-', '_' or '.'.");
    if (!Number.isSafeInteger(disk.sizeBytes) || disk.sizeBytes <= 0 || disk.sizeBytes % SECTOR_SIZE !== 0) {
      throw new SiteError('InvalidVm', 'Disk size must be a positive multiple of 512 bytes.');
    }
  }
}

/** Size of a source snapshot: read with the site's own key in its account, else through the source's SAS. */
async function snapshotSize(store: SiteStore, source: SnapshotSource, diskId: string): Promise<number | undefined> {
  const blob = inAccount(source.url, store.blobs) ? new BlobClient(source.url, store.blobs.credential) : new BlobClient(await source.sasUrl());
  try {
    return (await blob.getProperties()).contentLength;
  } catch (error) {
    if (statusOf(error) === 404) throw new SiteError('InvalidVm', `Source snapshot of disk '${diskId}' does not exist.`);
    throw error;
  }
}

/** The VM recorded under `id`, `undefined` when none; a retired VM's id is refused. */
async function recorded(store: SiteStore, id: string): Promise<StoredVm | undefined> {
  const current = await store.readRecordBody(id);
  if (!current) return undefined;
  if (isRetired(current.body)) throw new SiteError('VmRemoved', `VM '${id}' was removed from this site and is not created again.`);
  return current.body;
}

/**
 * Records the VM `Provisioning` first, then starts its disk copies (again, on a re-run: a copy
 * pending or done is left as it is). A removal that retired the id meanwhile may have missed the
 * copies just started: they are deleted here and the create is refused (`VmRemoved`).
 */
export async function createVmFromSnapshots(store: SiteStore, input: CreateVmFromSnapshotsOptions): Promise<SiteVm> {
  validateCreate(input);
  await store.container.createIfNotExists();
  const id = input.id.toLowerCase();
  let vm = await recorded(store, id);
  if (!vm) {
    for (const disk of input.disks) {
      const sizeBytes = await snapshotSize(store, disk.source, disk.id);
      if (sizeBytes !== disk.sizeBytes) throw new SiteError('InvalidVm', `Disk '${disk.id}' has ${disk.sizeBytes} bytes but its source snapshot has ${sizeBytes}.`);
    }
    const created = newRecord(store, id, input);
    vm = (await store.createRecord(created)) ? created : await recorded(store, id);
    if (!vm) throw new SiteError('VmNotFound', `VM '${id}' was removed while it was being created.`);
  }
  if (vm.provisioningState !== 'Provisioning') return store.publicVm(vm);
  let started = false;
  for (const disk of vm.disks) {
    const source = input.disks.find((d) => d.id.toLowerCase() === disk.id.toLowerCase())?.source;
    if (!source) throw new SiteError('InvalidVm', `VM '${id}' exists with a disk '${disk.id}' this request does not have.`);
    if (await startDiskCopy(store.diskBlob(disk), store.blobs, source, { vm: id })) started = true;
  }
  // Only a copy this call started can have been missed by a removal (the caller that started any
  // other looked again itself): a poll while the copies run reads the record once.
  if (!started) return store.publicVm(vm);
  const after = await store.readRecordBody(id);
  if (!after || isRetired(after.body)) {
    await deleteVmDisks(store, id, vm.disks.map((disk) => disk.blobName));
    throw new SiteError(after ? 'VmRemoved' : 'VmNotFound', `VM '${id}' was removed while it was being created.`);
  }
  return store.publicVm(after.body);
}

function newRecord(store: SiteStore, id: string, input: CreateVmFromSnapshotsOptions): StoredVm {
  const disks: SiteDisk[] = input.disks.map((disk) => ({ id: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk, container: store.containerName, blobName: diskBlobName(id, disk.id) }));
  return {
    id,
    name: input.name,
    osType: input.osType,
    generation: input.generation,
    cpuCount: input.cpuCount,
    memoryMB: input.memoryMB,
    powerState: 'Off',
    disks,
    fenced: false,
    provisioningState: 'Provisioning',
    ...(input.vmSize !== undefined ? { vmSize: input.vmSize } : {}),
    ...(input.network !== undefined ? { network: input.network } : {}),
    ...(input.origin !== undefined ? { origin: input.origin } : {}),
    pendingPowerState: input.powerState ?? 'Running',
    historySeq: input.historySeq ?? 0,
  };
}

export async function vmProvisioning(store: SiteStore, vmId: string): Promise<VmProvisioning> {
  const { vm } = await store.readVmRecord(vmId);
  if (vm.provisioningState === undefined || vm.provisioningState === 'Succeeded') return { state: 'Succeeded', progress: 100 };
  if (vm.provisioningState === 'Failed') return { state: 'Failed', progress: 0, error: vm.provisioningError ?? 'Provisioning failed.' };
  const copies = await Promise.all(vm.disks.map((disk) => readDiskCopy(store.diskBlob(disk))));
  const total = vm.disks.reduce((sum, disk) => sum + disk.sizeBytes, 0);
  const copied = vm.disks.reduce((sum, disk, i) => {
    const copy = copies[i];
    return sum + (copy?.state === 'success' ? disk.sizeBytes : Math.min(copy?.bytesCopied ?? 0, disk.sizeBytes));
  }, 0);
  const progress = Math.floor((copied / total) * 100);
  const failed = copies.find((copy) => copy.state === 'failed')?.error;
  if (!failed && copies.some((copy) => copy.state === 'pending')) return { state: 'Provisioning', progress: Math.min(99, progress) };
  const wrong = vm.disks.find((disk, i) => copies[i]?.sizeBytes !== disk.sizeBytes);
  const error = failed ?? (wrong ? `Disk '${wrong.id}' was copied with a size other than ${wrong.sizeBytes} bytes.` : undefined);
  const done = await store.updateVm(vmId, (current) => {
    if (current.provisioningState !== 'Provisioning') return current;
    if (error) return { ...current, provisioningState: 'Failed', provisioningError: error };
    const { pendingPowerState, ...rest } = current;
    return { ...rest, provisioningState: 'Succeeded', powerState: pendingPowerState ?? 'Running' };
  });
  if (done.provisioningState === 'Failed') return { state: 'Failed', progress, error: done.provisioningError ?? 'Provisioning failed.' };
  return { state: done.provisioningState ?? 'Succeeded', progress: 100 };
}
