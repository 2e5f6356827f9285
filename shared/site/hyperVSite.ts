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
import { leaseIdFor, releaseLease, sleep, statusOf, takeLease } from './leases.js';
import { readSectorStamp, SECTOR_SIZE } from './sectorStamp.js';
import { SiteError } from './SiteError.js';
import { assertSiteKey } from './siteKeyOf.js';
import { UNTRACKED_CHANGES, type ChangeLogEntry, type Checkpoint, type OsType, type PowerState, type SiteDisk, type SiteVm } from './types.js';

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

/** The VM record as stored (the VM plus the pending quiesce request). */
export interface StoredVm extends SiteVm {
  quiesce?: QuiesceRequest;
}

export interface HyperVSite {
  readonly siteKey: string;
  readonly containerName: string;
  readonly blobs: BlobServiceClient;
  readonly container: ContainerClient;
  /** Creates the site's container when missing. */
  ensure(): Promise<void>;
  addVm(options: AddVmOptions): Promise<SiteVm>;
  listVms(): Promise<SiteVm[]>;
  /** The VM, or undefined when missing. */
  getVm(vmId: string): Promise<SiteVm | undefined>;
  /** Shuts the guest down: the workload finishes its write and stops; then the VM is Off. */
  shutdown(vmId: string): Promise<SiteVm>;
  /** Starts the VM; refused while fenced. */
  start(vmId: string): Promise<SiteVm>;
  /** Removes the VM, its disks (with snapshots) and its change log; refused while fenced. */
  removeVm(vmId: string): Promise<void>;
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
  /** Hands the disks back; the change log records that they changed untracked meanwhile. */
  unfence(vmId: string): Promise<void>;
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
const recordName = (vmId: string): string => `vms/${vmId}.json`;
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

function publicVm(vm: StoredVm): SiteVm {
  const { quiesce: _quiesce, ...rest } = vm;
  return rest;
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

  async function lastWriteIncluded(vmId: string, disks: Map<string, { blob: PageBlobClient; snapshot: string }>): Promise<number> {
    const last = await changeLog(vmId).last();
    if (!last) return 0;
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
          blobName: `disks/${id}/${diskId}.vhd`,
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
      const vm = await updateVm(vmId, (current) => ({ ...current, powerState: 'Off' }));
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
        return { ...current, powerState: 'Running' };
      });
      return publicVm(vm);
    },

    async removeVm(vmId) {
      let vm: StoredVm;
      try {
        vm = (await readVmRecord(vmId)).vm;
      } catch (error) {
        if (error instanceof SiteError && error.code === 'VmNotFound') return;
        throw error;
      }
      if (vm.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced and cannot be removed.`);
      for (const disk of vm.disks) {
        try {
          await diskBlob(disk).getBlobLeaseClient().breakLease(0);
        } catch (error) {
          if (![404, 409].includes(statusOf(error) ?? 0)) throw error;
        }
        await diskBlob(disk).deleteIfExists({ deleteSnapshots: 'include' });
      }
      await changeLog(vmId).delete();
      await container.getBlobClient(ackName(vmId)).deleteIfExists();
      await container.getBlobClient(recordName(vmId)).deleteIfExists();
    },

    async checkpoint(vmId, checkpointOptions = {}) {
      const { vm } = await readVmRecord(vmId);
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
        const seq = await lastWriteIncluded(vmId, byDisk);
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

    async fence(vmId) {
      const vm = await updateVm(vmId, (current) => ({ ...current, fenced: true }));
      await holdFence(vm);
    },

    async unfence(vmId) {
      const { vm: before } = await readVmRecord(vmId);
      if (before.fenced) {
        const last = await changeLog(vmId).last();
        if (last?.diskId !== UNTRACKED_CHANGES) {
          await changeLog(vmId).append({ seq: (last?.seq ?? 0) + 1, diskId: UNTRACKED_CHANGES, offset: 0, length: 0, time: new Date().toISOString() });
        }
      }
      const vm = await updateVm(vmId, (current) => ({ ...current, fenced: false }));
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
