/** Adding a VM to the local Hyper-V site, as its host would: disks of given sizes and contents. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { PageBlobClient } from '@azure/storage-blob';
import { SiteError } from '../../errors/SiteError.js';
import { mergeRanges, type ByteRange } from '../byteRanges.js';
import type { OsType, PowerState, SiteDisk, SiteNic, SiteVm } from '../types.js';
import { SECTOR_SIZE } from './sectorStamp.js';
import { diskBlobName, GUID, type SiteStore, type StoredVm } from './siteStore.js';

/** Initial contents of a new disk. */
export type DiskContents = { kind: 'zeros' } | { kind: 'pattern'; byte: number } | { kind: 'random'; fraction: number };

export interface AddDiskOptions {
  id?: string;
  name?: string;
  sizeBytes: number;
  isOsDisk?: boolean;
  contents?: DiskContents;
}

export interface AddVmOptions {
  id?: string;
  name: string;
  osType?: OsType;
  generation?: 1 | 2;
  cpuCount?: number;
  memoryMB?: number;
  powerState?: PowerState;
  disks: AddDiskOptions[];
  /** Network adapters: the network (by name) each is connected to, and its address. */
  nics?: SiteNic[];
}

const MAX_PUT = 4 * 1024 * 1024;

function validateVm(options: AddVmOptions): void {
  if (options.id !== undefined && !GUID.test(options.id)) throw new SiteError('InvalidVm', 'VM id must be a GUID.');
  if (!options.name || options.name.length > 64) throw new SiteError('InvalidVm', 'VM name must have 1-64 characters.');
  if (options.disks.length === 0) throw new SiteError('InvalidVm', 'A VM needs at least one disk.');
  for (const nic of options.nics ?? []) {
    if (!nic.networkName) throw new SiteError('InvalidVm', 'A network adapter names the network it is connected to.');
    if (nic.ipAddress !== undefined && !/^\d{1,3}(?:\.\d{1,3}){3}$/.test(nic.ipAddress)) throw new SiteError('InvalidVm', `A network adapter's address must be an IPv4 address.`);
  }
  for (const disk of options.disks) {
    if (disk.id !== undefined && !GUID.test(disk.id)) throw new SiteError('InvalidVm', 'Disk id must be a GUID.');
    if (!Number.isSafeInteger(disk.sizeBytes) || disk.sizeBytes <= 0 || disk.sizeBytes % SECTOR_SIZE !== 0) {
      throw new SiteError('InvalidVm', 'Disk size must be a positive multiple of 512 bytes.');
    }
    if (disk.contents?.kind === 'random' && !(disk.contents.fraction >= 0 && disk.contents.fraction <= 1)) {
      throw new SiteError('InvalidVm', 'Random fraction must be within 0..1.');
    }
  }
}

async function fillDisk(blob: PageBlobClient, sizeBytes: number, contents: DiskContents | undefined): Promise<void> {
  if (!contents || contents.kind === 'zeros') return;
  const uploads: Array<() => Promise<unknown>> = [];
  if (contents.kind === 'pattern') {
    const piece = Buffer.alloc(Math.min(MAX_PUT, sizeBytes), contents.byte & 0xff);
    for (let offset = 0; offset < sizeBytes; offset += piece.length) {
      const length = Math.min(piece.length, sizeBytes - offset);
      uploads.push(() => blob.uploadPages(piece.subarray(0, length), offset, length));
    }
  } else {
    const chunk = 64 * 1024;
    const chosen: ByteRange[] = [];
    for (let offset = 0; offset < sizeBytes; offset += chunk) {
      if (contents.fraction >= 1 || Math.random() < contents.fraction) chosen.push({ offset, length: Math.min(chunk, sizeBytes - offset) });
    }
    for (const range of mergeRanges(chosen)) {
      for (let offset = range.offset; offset < range.offset + range.length; offset += MAX_PUT) {
        const length = Math.min(MAX_PUT, range.offset + range.length - offset);
        uploads.push(() => blob.uploadPages(randomBytes(length), offset, length));
      }
    }
  }
  for (let i = 0; i < uploads.length; i += 4) await Promise.all(uploads.slice(i, i + 4).map((upload) => upload()));
}

/** Adds a VM whose disks are new page blobs filled with `contents`. */
export async function addVm(store: SiteStore, input: AddVmOptions): Promise<SiteVm> {
  validateVm(input);
  await store.container.createIfNotExists();
  const id = (input.id ?? randomUUID()).toLowerCase();
  const disks: SiteDisk[] = input.disks.map((disk, index) => {
    const diskId = (disk.id ?? randomUUID()).toLowerCase();
    return { id: diskId, name: disk.name ?? `${input.name}-disk${index}`, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk ?? index === 0, container: store.containerName, blobName: diskBlobName(id, diskId) };
  });
  if (await store.container.getBlobClient(`vms/${id}.json`).exists()) throw new SiteError('VmExists', `VM '${id}' already exists at this site.`);
  for (const [index, disk] of disks.entries()) {
    await store.diskBlob(disk).create(disk.sizeBytes);
    await fillDisk(store.diskBlob(disk), disk.sizeBytes, input.disks[index]?.contents);
  }
  const vm: StoredVm = {
    id,
    name: input.name,
    osType: input.osType ?? 'Windows',
    generation: input.generation ?? 2,
    cpuCount: input.cpuCount ?? 2,
    memoryMB: input.memoryMB ?? 4096,
    powerState: input.powerState ?? 'Running',
    disks,
    fenced: false,
    ...(input.nics?.length ? { nics: input.nics.map((nic) => ({ ...nic })) } : {}),
  };
  if (!(await store.createRecord(vm))) throw new SiteError('VmExists', `VM '${id}' already exists at this site.`);
  return store.publicVm(vm);
}

/** Attaches a new data disk to an existing VM, as its host would (a disk added to a running VM). */
export async function attachDisk(store: SiteStore, vmId: string, input: AddDiskOptions): Promise<SiteDisk> {
  validateVm({ name: 'attach', disks: [input] });
  const diskId = (input.id ?? randomUUID()).toLowerCase();
  const disk: SiteDisk = { id: diskId, name: input.name ?? `disk-${diskId.slice(0, 8)}`, sizeBytes: input.sizeBytes, isOsDisk: false, container: store.containerName, blobName: diskBlobName(vmId, diskId) };
  await store.diskBlob(disk).create(disk.sizeBytes);
  await fillDisk(store.diskBlob(disk), disk.sizeBytes, input.contents);
  await store.updateVm(vmId, (vm) => {
    if (vm.disks.some((existing) => existing.id === diskId)) throw new SiteError('InvalidVm', `Disk '${diskId}' is already attached to VM '${vmId}'.`);
    vm.disks.push(disk);
    return vm;
  });
  return disk;
}
