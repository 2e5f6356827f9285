/**
 * The local Hyper-V site: a source site whose VMs' disks are page blobs in the container
 * `hvsite-<siteKey>`, with VM records as JSON blobs, a change log per VM, checkpoints that hold a VM's
 * writes on all its disks while they are snapshotted, and fencing by blob leases.
 */
import type { BlobServiceClient, ContainerClient, PageBlobClient } from '@azure/storage-blob';
import { randomBytes, randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { resolveConnectionString } from '../config.js';
import type { StorageClients } from '../storage/clients.js';
import { mergeRanges, type ByteRange } from './byteRanges.js';
import { createChangeLog, type ChangeLog } from './changeLog.js';
import { readDiskCopy, startDiskCopy } from './diskCopy.js';
import { leaseIdFor, releaseLease, sleep, statusOf, takeLease } from './leases.js';
import { readSectorStamp, SECTOR_SIZE } from './sectorStamp.js';
import { SiteError } from './SiteError.js';
import { assertSiteKey } from './siteKeyOf.js';
import {
  UNTRACKED_CHANGES,
  type ChangeLogEntry,
  type Checkpoint,
  type OsType,
  type PowerState,
  type ProvisioningState,
  type SiteDisk,
  type SiteVm,
  type VmNetwork,
  type VmOrigin,
} from './types.js';

/** Initial contents of a new disk. */
export type DiskContents =
  | { kind: 'zeros' }
  | { kind: 'pattern'; byte: number }
  | { kind: 'random'; fraction: number };

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
}

/** A disk of a VM created from snapshots: a server-side copy of one snapshot. */
export interface CreateVmDisk {
  /** Keep the protected disk's id (the workload's stamps and the replicas are keyed by it). */
  id: string;
  name: string;
  /** Must equal the snapshot's size. */
  sizeBytes: number;
  isOsDisk: boolean;
  source: {
    /** The snapshot's account (default: this site's); another account is read through a short-lived SAS. */
    blobs?: BlobServiceClient;
    container: string;
    blobName: string;
    snapshot: string;
  };
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
}

/** Changed ranges of a VM's disks between two points of its history. */
export interface ChangedRanges {
  /** False when the log misses some write in the interval (then use page ranges instead). */
  complete: boolean;
  /** diskId → merged changed byte ranges. */
  disks: Record<string, ByteRange[]>;
  writes: number;
}

/** A pending quiesce request in the VM record, and the guest's answer. */
export interface QuiesceRequest {
  requestId: string;
  requestedAt: string;
}
export interface QuiesceAck {
  requestId: string;
  seq: number;
}

/** The VM record as stored (the VM plus what only the site itself uses). */
export interface StoredVm extends SiteVm {
  quiesce?: QuiesceRequest;
  /** Writes 1..historySeq of the VM's history happened before its own change log (made elsewhere). */
  historySeq?: number;
  /** Power state to take once provisioned. */
  pendingPowerState?: PowerState;
  provisioningError?: string;
}

export interface HyperVSite {
  readonly siteKey: string;
  readonly containerName: string;
  readonly blobs: BlobServiceClient;
  readonly container: ContainerClient;
  /** Creates the site's container when missing. */
  ensure(): Promise<void>;
  addVm(options: AddVmOptions): Promise<SiteVm>;
  /**
   * Creates a VM whose disks are server-side copies of snapshots (e.g. a recovery point's): starts
   * the copies, records the VM as `Provisioning` (powered off) and returns; `vmProvisioning` finishes
   * it. Idempotent for the same id: an existing VM is returned unchanged.
   */
  createVmFromSnapshots(options: CreateVmFromSnapshotsOptions): Promise<SiteVm>;
  /**
   * Checks the disk copies of a VM being created (one bounded look) and, when all are done, makes it
   * `Succeeded` in its requested power state; `Failed` with the reason when a copy failed.
   */
  vmProvisioning(vmId: string): Promise<VmProvisioning>;
  listVms(): Promise<SiteVm[]>;
  /** The VM, or undefined when missing. */
  getVm(vmId: string): Promise<SiteVm | undefined>;
  /** Shuts the guest down: the workload finishes its write and stops; then the VM is Off. */
  shutdown(vmId: string): Promise<SiteVm>;
  /** Starts the VM; refused while fenced. */
  start(vmId: string): Promise<SiteVm>;
  /**
   * Removes the VM, its disks (with snapshots, aborting pending copies, including those of a creation
   * that never finished) and its change log; refused while fenced; idempotent.
   */
  removeVm(vmId: string): Promise<void>;
  /** URL of a VM's disk blob (no SAS), for resource views and byte comparisons. */
  diskUrl(vmId: string, diskId: string): string;
  /**
   * What keeps the service from writing a VM's disks again (re-protect into the original disks): the
   * VM, a disk or its blob missing, or a size that differs — one sentence each; empty when all is there.
   */
  findMissingDisks(vmId: string, disks: ReadonlyArray<{ id: string; sizeBytes: number }>): Promise<string[]>;
  /** Holds the VM's writes on all its disks and snapshots them together. */
  checkpoint(vmId: string, options?: CheckpointOptions): Promise<Checkpoint>;
  /** Deletes a checkpoint's source snapshots (idempotent). */
  deleteCheckpoint(checkpoint: Pick<Checkpoint, 'disks'>): Promise<void>;
  /** Changed ranges per disk of the writes afterSeq < seq ≤ uptoSeq; incomplete across a gap or an unfence. */
  readChangeLog(vmId: string, afterSeq: number, uptoSeq: number): Promise<ChangedRanges>;
  /** The raw write history afterSeq < seq ≤ uptoSeq (default: all). */
  readWriteLog(vmId: string, afterSeq?: number, uptoSeq?: number): Promise<ChangeLogEntry[]>;
  /** The service takes the VM's disks: every other writer's writes fail until unfence. */
  fence(vmId: string): Promise<void>;
  /**
   * Hands the disks back; the change log records that they changed untracked meanwhile. With
   * `historySeq` (failback: the disks now hold writes 1..historySeq of the recovery VM's history,
   * brought back by reverse replication) the change log restarts after it instead.
   */
  unfence(vmId: string, options?: UnfenceOptions): Promise<void>;
  /** The lease id the service holds on a fenced VM's disks (to write them itself, e.g. re-protect). */
  fenceLeaseId(vmId: string): string;
  /** The whole content of a disk (or of one of its snapshots), for checks on small disks. */
  readDisk(vmId: string, diskId: string, snapshot?: string): Promise<Buffer>;
  /** @internal workload plumbing */
  readVmRecord(vmId: string): Promise<{ vm: StoredVm; etag: string }>;
  diskBlob(disk: SiteDisk): PageBlobClient;
  changeLog(vmId: string): ChangeLog;
  writeQuiesceAck(vmId: string, ack: QuiesceAck): Promise<void>;
}

/** Connection string of the Hyper-V site storage: `HyperVSiteStorage`, else `AzureWebJobsStorage`. */
export function hyperVSiteConnectionString(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.HyperVSiteStorage || env.AzureWebJobsStorage;
  if (!value) throw new Error("Missing required setting 'HyperVSiteStorage' (or 'AzureWebJobsStorage').");
  return resolveConnectionString(value, env);
}

const MAX_PUT = 4 * 1024 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DISK_ID = /^[A-Za-z0-9_.-]{1,90}$/;
const recordName = (vmId: string): string => `vms/${vmId}.json`;

/** Page blob name of a VM's disk in the site container. */
export function diskBlobName(vmId: string, diskId: string): string {
  return `disks/${vmId.toLowerCase()}/${diskId}.vhd`;
}
const ackName = (vmId: string): string => `vms/${vmId}.ack`;

function validateVm(options: AddVmOptions): void {
  if (options.id !== undefined && !GUID.test(options.id)) throw new SiteError('InvalidVm', 'VM id must be a GUID.');
  if (!options.name || options.name.length > 64) throw new SiteError('InvalidVm', 'VM name must have 1-64 characters.');
  if (options.disks.length === 0) throw new SiteError('InvalidVm', 'A VM needs at least one disk.');
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

function publicVm(vm: StoredVm): SiteVm {
  const { quiesce: _quiesce, historySeq: _historySeq, pendingPowerState: _pending, provisioningError: _error, ...rest } = vm;
  return rest;
}

function assertProvisioned(vm: StoredVm): void {
  if (vm.provisioningState === 'Provisioning' || vm.provisioningState === 'Failed') {
    throw new SiteError('VmProvisioning', `VM '${vm.id}' is not provisioned (${vm.provisioningState}).`);
  }
}

/** The Hyper-V site `siteKey` in the given storage account. */
export function createHyperVSite(clients: Pick<StorageClients, 'blobs'>, options: { siteKey: string }): HyperVSite {
  assertSiteKey(options.siteKey);
  const containerName = `hvsite-${options.siteKey}`;
  const container = clients.blobs.getContainerClient(containerName);
  const diskBlob = (disk: SiteDisk): PageBlobClient => container.getPageBlobClient(disk.blobName);
  const logs = new Map<string, ChangeLog>();
  const changeLog = (vmId: string): ChangeLog => {
    let log = logs.get(vmId);
    if (!log) logs.set(vmId, (log = createChangeLog(container, vmId)));
    return log;
  };

  async function readVmRecord(vmId: string): Promise<{ vm: StoredVm; etag: string }> {
    if (!GUID.test(vmId)) throw new SiteError('VmNotFound', 'VM id must be a GUID.');
    try {
      const response = await container.getBlockBlobClient(recordName(vmId)).download();
      const vm = JSON.parse((await buffer(response.readableStreamBody!)).toString('utf8')) as StoredVm;
      return { vm, etag: response.etag! };
    } catch (error) {
      if (statusOf(error) === 404) throw new SiteError('VmNotFound', `VM '${vmId}' does not exist at this site.`);
      throw error;
    }
  }

  /** Read-modify-write of the VM record with its ETag, retried when another writer won. */
  async function updateVm(vmId: string, change: (vm: StoredVm) => StoredVm): Promise<StoredVm> {
    for (;;) {
      const { vm, etag } = await readVmRecord(vmId);
      const next = change(structuredClone(vm));
      const body = JSON.stringify(next);
      try {
        await container.getBlockBlobClient(recordName(vmId)).upload(body, Buffer.byteLength(body), {
          conditions: { ifMatch: etag },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        return next;
      } catch (error) {
        if (statusOf(error) !== 412) throw error;
      }
    }
  }

  async function leaseStates(vm: SiteVm): Promise<string[]> {
    return Promise.all(vm.disks.map(async (disk) => (await diskBlob(disk).getProperties()).leaseState ?? 'available'));
  }

  async function holdFence(vm: SiteVm): Promise<void> {
    await Promise.all(vm.disks.map((disk) => takeLease(diskBlob(disk), leaseIdFor(`fence:${vm.id}`), -1)));
  }

  async function lastWriteIncluded(vm: StoredVm, disks: Map<string, { blob: PageBlobClient; snapshot: string }>): Promise<number> {
    const base = vm.historySeq ?? 0;
    const last = await changeLog(vm.id).last();
    if (!last || last.seq <= base) return base;
    const disk = disks.get(last.diskId);
    if (last.diskId === UNTRACKED_CHANGES) return last.seq;
    if (!disk) return last.seq - 1;
    const sector = await disk.blob.withSnapshot(disk.snapshot).downloadToBuffer(last.offset, SECTOR_SIZE);
    return readSectorStamp(sector)?.seq === last.seq ? last.seq : last.seq - 1;
  }

  async function requestQuiesce(vmId: string, timeoutMs: number): Promise<QuiesceAck | undefined> {
    const requestId = randomUUID();
    await updateVm(vmId, (vm) => ({ ...vm, quiesce: { requestId, requestedAt: new Date().toISOString() } }));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const ack = JSON.parse((await container.getBlockBlobClient(ackName(vmId)).downloadToBuffer()).toString('utf8')) as QuiesceAck;
        if (ack.requestId === requestId) return ack;
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      await sleep(20);
    }
    return undefined;
  }

  const site: HyperVSite = {
    siteKey: options.siteKey,
    containerName,
    blobs: clients.blobs,
    container,
    readVmRecord,
    diskBlob,
    changeLog,

    async ensure() {
      await container.createIfNotExists();
    },

    async addVm(input) {
      validateVm(input);
      await container.createIfNotExists();
      const id = (input.id ?? randomUUID()).toLowerCase();
      const disks: SiteDisk[] = input.disks.map((disk, index) => {
        const diskId = (disk.id ?? randomUUID()).toLowerCase();
        return {
          id: diskId,
          name: disk.name ?? `${input.name}-disk${index}`,
          sizeBytes: disk.sizeBytes,
          isOsDisk: disk.isOsDisk ?? index === 0,
          blobName: diskBlobName(id, diskId),
        };
      });
      if (await container.getBlobClient(recordName(id)).exists()) throw new SiteError('VmExists', `VM '${id}' already exists at this site.`);
      for (const [index, disk] of disks.entries()) {
        await diskBlob(disk).create(disk.sizeBytes);
        await fillDisk(diskBlob(disk), disk.sizeBytes, input.disks[index]!.contents);
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
      };
      const body = JSON.stringify(vm);
      try {
        await container.getBlockBlobClient(recordName(id)).upload(body, Buffer.byteLength(body), {
          conditions: { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
      } catch (error) {
        if (statusOf(error) === 409) throw new SiteError('VmExists', `VM '${id}' already exists at this site.`);
        throw error;
      }
      return publicVm(vm);
    },

    async createVmFromSnapshots(input) {
      validateCreate(input);
      await container.createIfNotExists();
      const id = input.id.toLowerCase();
      const existing = await site.getVm(id);
      if (existing) return existing;
      const disks: SiteDisk[] = input.disks.map((disk) => ({
        id: disk.id,
        name: disk.name,
        sizeBytes: disk.sizeBytes,
        isOsDisk: disk.isOsDisk,
        blobName: diskBlobName(id, disk.id),
      }));
      for (const [index, disk] of disks.entries()) {
        const { source } = input.disks[index]!;
        const sourceAccount = source.blobs ?? clients.blobs;
        const snapshot = sourceAccount.getContainerClient(source.container).getPageBlobClient(source.blobName).withSnapshot(source.snapshot);
        let sizeBytes: number | undefined;
        try {
          sizeBytes = (await snapshot.getProperties()).contentLength;
        } catch (error) {
          if (statusOf(error) === 404) throw new SiteError('InvalidVm', `Source snapshot of disk '${disk.id}' does not exist.`);
          throw error;
        }
        if (sizeBytes !== disk.sizeBytes) throw new SiteError('InvalidVm', `Disk '${disk.id}' has ${disk.sizeBytes} bytes but its source snapshot has ${sizeBytes}.`);
        await startDiskCopy(diskBlob(disk), clients.blobs, snapshot, sourceAccount, { vm: id });
      }
      const vm: StoredVm = {
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
      const body = JSON.stringify(vm);
      try {
        await container.getBlockBlobClient(recordName(id)).upload(body, Buffer.byteLength(body), {
          conditions: { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
        return publicVm((await readVmRecord(id)).vm);
      }
      return publicVm(vm);
    },

    async vmProvisioning(vmId) {
      const { vm } = await readVmRecord(vmId);
      if (vm.provisioningState === undefined || vm.provisioningState === 'Succeeded') return { state: 'Succeeded', progress: 100 };
      if (vm.provisioningState === 'Failed') return { state: 'Failed', progress: 0, error: vm.provisioningError ?? 'Provisioning failed.' };
      const copies = await Promise.all(vm.disks.map((disk) => readDiskCopy(diskBlob(disk))));
      const total = vm.disks.reduce((sum, disk) => sum + disk.sizeBytes, 0);
      const copied = copies.reduce((sum, copy, i) => sum + (copy.state === 'success' ? vm.disks[i]!.sizeBytes : Math.min(copy.bytesCopied, vm.disks[i]!.sizeBytes)), 0);
      const progress = Math.floor((copied / total) * 100);
      const failed = copies.find((copy) => copy.state === 'failed')?.error;
      if (!failed && copies.some((copy) => copy.state === 'pending')) return { state: 'Provisioning', progress: Math.min(99, progress) };
      const wrong = vm.disks.find((disk, i) => copies[i]!.sizeBytes !== disk.sizeBytes);
      const error = failed ?? (wrong ? `Disk '${wrong.id}' was copied with a size other than ${wrong.sizeBytes} bytes.` : undefined);
      const done = await updateVm(vmId, (current) => {
        if (current.provisioningState !== 'Provisioning') return current;
        if (error) return { ...current, provisioningState: 'Failed', provisioningError: error };
        const { pendingPowerState, ...rest } = current;
        return { ...rest, provisioningState: 'Succeeded', powerState: pendingPowerState ?? 'Running' };
      });
      if (done.provisioningState === 'Failed') return { state: 'Failed', progress, error: done.provisioningError ?? 'Provisioning failed.' };
      return { state: done.provisioningState ?? 'Succeeded', progress: 100 };
    },

    async listVms() {
      const vms: SiteVm[] = [];
      if (!(await container.exists())) return vms;
      for await (const blob of container.listBlobsFlat({ prefix: 'vms/' })) {
        const match = /^vms\/([0-9a-f-]{36})\.json$/.exec(blob.name);
        if (!match) continue;
        try {
          vms.push(publicVm((await readVmRecord(match[1]!)).vm));
        } catch (error) {
          if (!(error instanceof SiteError)) throw error;
        }
      }
      return vms.sort((a, b) => a.name.localeCompare(b.name));
    },

    async getVm(vmId) {
      try {
        return publicVm((await readVmRecord(vmId)).vm);
      } catch (error) {
        if (error instanceof SiteError && error.code === 'VmNotFound') return undefined;
        throw error;
      }
    },

    async shutdown(vmId) {
      const vm = await updateVm(vmId, (current) => ({ ...current, powerState: 'Off', ...(current.pendingPowerState ? { pendingPowerState: 'Off' as const } : {}) }));
      if (!vm.fenced) {
        const deadline = Date.now() + 10_000;
        while ((await leaseStates(vm)).some((state) => state === 'leased') && Date.now() < deadline) await sleep(50);
        for (const disk of vm.disks) {
          try {
            await diskBlob(disk).getBlobLeaseClient().breakLease(0);
          } catch (error) {
            if (statusOf(error) !== 409) throw error;
          }
        }
      }
      return publicVm(vm);
    },

    async start(vmId) {
      const vm = await updateVm(vmId, (current) => {
        if (current.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced: its disks belong to the recovery site until re-protect.`);
        assertProvisioned(current);
        return { ...current, powerState: 'Running' };
      });
      return publicVm(vm);
    },

    async removeVm(input) {
      if (!GUID.test(input)) return;
      const vmId = input.toLowerCase();
      let vm: StoredVm | undefined;
      try {
        vm = (await readVmRecord(vmId)).vm;
      } catch (error) {
        if (!(error instanceof SiteError && error.code === 'VmNotFound')) throw error;
      }
      if (vm?.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced and cannot be removed.`);
      const names = new Set(vm?.disks.map((disk) => disk.blobName));
      for await (const blob of container.listBlobsFlat({ prefix: `disks/${vmId}/` })) names.add(blob.name);
      for (const name of names) {
        const blob = container.getPageBlobClient(name);
        const copy = await readDiskCopy(blob);
        if (copy.state === 'pending') {
          try {
            await blob.abortCopyFromURL((await blob.getProperties()).copyId!);
          } catch (error) {
            if (![404, 409].includes(statusOf(error) ?? 0)) throw error;
          }
        }
        try {
          await blob.getBlobLeaseClient().breakLease(0);
        } catch (error) {
          if (![404, 409].includes(statusOf(error) ?? 0)) throw error;
        }
        await blob.deleteIfExists({ deleteSnapshots: 'include' });
      }
      await changeLog(vmId).delete();
      await container.getBlobClient(ackName(vmId)).deleteIfExists();
      await container.getBlobClient(recordName(vmId)).deleteIfExists();
    },

    async checkpoint(vmId, checkpointOptions = {}) {
      const { vm } = await readVmRecord(vmId);
      assertProvisioned(vm);
      const writersActive = !vm.fenced && (await leaseStates(vm)).some((state) => state === 'leased');
      let applicationConsistent = checkpointOptions.applicationConsistent ?? false;
      let quiesced = false;
      if (applicationConsistent && writersActive) {
        quiesced = (await requestQuiesce(vmId, checkpointOptions.quiesceTimeoutInMs ?? 3000)) !== undefined;
        applicationConsistent = quiesced;
      }
      const holdId = randomUUID();
      const held = vm.fenced ? [] : vm.disks;
      const taken: SiteDisk[] = [];
      try {
        for (const disk of held) {
          await takeLease(diskBlob(disk), holdId, 15);
          taken.push(disk);
        }
        const time = new Date().toISOString();
        const snapshots = await Promise.all(vm.disks.map(async (disk) => (await diskBlob(disk).createSnapshot()).snapshot!));
        const byDisk = new Map(vm.disks.map((disk, i) => [disk.id, { blob: diskBlob(disk), snapshot: snapshots[i]! }]));
        const seq = await lastWriteIncluded(vm, byDisk);
        return {
          vmId: vm.id,
          time,
          seq,
          snapshots: Object.fromEntries(vm.disks.map((disk, i) => [disk.id, snapshots[i]!])),
          applicationConsistent,
          disks: vm.disks.map((disk, i) => ({
            diskId: disk.id,
            sizeBytes: disk.sizeBytes,
            container: containerName,
            blobName: disk.blobName,
            snapshot: snapshots[i]!,
          })),
        };
      } finally {
        await Promise.all(taken.map((disk) => releaseLease(diskBlob(disk), holdId)));
        if (quiesced || (checkpointOptions.applicationConsistent && writersActive)) {
          await updateVm(vmId, (current) => {
            const { quiesce: _done, ...rest } = current;
            return rest;
          });
        }
        const after = (await readVmRecord(vmId)).vm;
        if (after.fenced && !vm.fenced) await holdFence(after);
      }
    },

    async deleteCheckpoint(checkpoint) {
      await Promise.all(
        checkpoint.disks.map((disk) =>
          container.getPageBlobClient(disk.blobName).withSnapshot(disk.snapshot).deleteIfExists(),
        ),
      );
    },

    async readChangeLog(vmId, afterSeq, uptoSeq) {
      const entries = await changeLog(vmId).read(afterSeq, uptoSeq);
      const perDisk = new Map<string, ByteRange[]>();
      for (const entry of entries) {
        if (entry.diskId === UNTRACKED_CHANGES) continue;
        let ranges = perDisk.get(entry.diskId);
        if (!ranges) perDisk.set(entry.diskId, (ranges = []));
        ranges.push({ offset: entry.offset, length: entry.length });
      }
      return {
        complete: entries.length === Math.max(0, uptoSeq - afterSeq) && !entries.some((e) => e.diskId === UNTRACKED_CHANGES),
        disks: Object.fromEntries([...perDisk].map(([diskId, ranges]) => [diskId, mergeRanges(ranges)])),
        writes: entries.length,
      };
    },

    async readWriteLog(vmId, afterSeq = 0, uptoSeq = Number.MAX_SAFE_INTEGER) {
      return changeLog(vmId).read(afterSeq, uptoSeq);
    },

    diskUrl: (vmId, diskId) => container.getBlobClient(diskBlobName(vmId, diskId)).url,

    async findMissingDisks(vmId, expected) {
      const vm = await site.getVm(vmId);
      if (!vm) return [`VM '${vmId}' no longer exists at site '${options.siteKey}'.`];
      const problems: string[] = [];
      for (const want of expected) {
        const disk = vm.disks.find((d) => d.id === want.id);
        if (!disk) {
          problems.push(`Disk '${want.id}' is no longer attached to VM '${vm.name}'.`);
          continue;
        }
        let sizeBytes: number | undefined;
        try {
          sizeBytes = (await diskBlob(disk).getProperties()).contentLength;
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
          problems.push(`The blob '${disk.blobName}' of disk '${disk.name}' of VM '${vm.name}' is missing.`);
          continue;
        }
        if (sizeBytes !== want.sizeBytes) problems.push(`Disk '${disk.name}' of VM '${vm.name}' has ${sizeBytes} bytes instead of ${want.sizeBytes}.`);
      }
      return problems;
    },

    async fence(vmId) {
      const vm = await updateVm(vmId, (current) => ({ ...current, fenced: true }));
      await holdFence(vm);
    },

    async unfence(vmId, unfenceOptions = {}) {
      const { historySeq } = unfenceOptions;
      if (historySeq !== undefined && !(Number.isSafeInteger(historySeq) && historySeq >= 0)) throw new RangeError('History seq must be a non-negative integer.');
      const { vm: before } = await readVmRecord(vmId);
      if (before.fenced && historySeq !== undefined) {
        await changeLog(before.id).delete();
      } else if (before.fenced) {
        const last = await changeLog(before.id).last();
        if (last?.diskId !== UNTRACKED_CHANGES) {
          const seq = Math.max(last?.seq ?? 0, before.historySeq ?? 0) + 1;
          await changeLog(before.id).append({ seq, diskId: UNTRACKED_CHANGES, offset: 0, length: 0, time: new Date().toISOString() });
        }
      }
      const vm = await updateVm(vmId, (current) => ({
        ...current,
        fenced: false,
        ...(current.fenced && historySeq !== undefined ? { historySeq } : {}),
      }));
      await Promise.all(vm.disks.map((disk) => releaseLease(diskBlob(disk), leaseIdFor(`fence:${vm.id}`))));
    },

    fenceLeaseId: (vmId) => leaseIdFor(`fence:${vmId.toLowerCase()}`),

    async readDisk(vmId, diskId, snapshot) {
      const { vm } = await readVmRecord(vmId);
      const disk = vm.disks.find((d) => d.id === diskId);
      if (!disk) throw new SiteError('VmNotFound', `VM '${vmId}' has no disk '${diskId}'.`);
      const blob = snapshot ? diskBlob(disk).withSnapshot(snapshot) : diskBlob(disk);
      return blob.downloadToBuffer(0, disk.sizeBytes);
    },

    async writeQuiesceAck(vmId, ack) {
      const body = JSON.stringify(ack);
      await container.getBlockBlobClient(ackName(vmId)).upload(body, Buffer.byteLength(body));
    },
  };
  return site;
}
