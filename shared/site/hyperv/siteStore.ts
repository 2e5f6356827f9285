/**
 * The local Hyper-V site's storage: everything lives in the container `hvsite-<siteKey>` — VM
 * records as JSON blobs (`vms/<id>.json`), disks as page blobs (`disks/<vm>/<disk>.vhd`), change logs
 * (`log/<vm>/…`) and the guest's quiesce answers (`vms/<id>.ack`). Records are read-modify-written
 * with their ETag. A VM the service made and removed leaves a mark in place of its record
 * (`RetiredVm`), so a create of that id arriving late is refused rather than bringing it back.
 */
import type { BlobServiceClient, ContainerClient, PageBlobClient } from '@azure/storage-blob';
import { buffer } from 'node:stream/consumers';
import { SiteError } from '../../errors/SiteError.js';
import { hasStatus, statusOf } from '../../errors/storageStatus.js';
import type { PowerState, SiteDisk, SiteVm } from '../types.js';
import { uploadIfAbsent } from '../../storage/uploadIfAbsent.js';
import { createChangeLog, type ChangeLog } from './changeLog.js';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/** What stays of a VM the service removed: its id, and the item it was made for (also in the blob's metadata). */
export interface RetiredVm {
  id: string;
  retired: true;
  itemKey: string;
  retiredAt: string;
}

/** A record blob: a VM, or the mark of one retired. */
export type VmRecordBody = StoredVm | RetiredVm;

export const isRetired = (body: VmRecordBody): body is RetiredVm => 'retired' in body && body.retired === true;

/** Metadata key of a mark's item. */
export const RETIRED_FOR = 'retiredfor';

export const recordName = (vmId: string): string => `vms/${vmId}.json`;
export const ackName = (vmId: string): string => `vms/${vmId}.ack`;

/** Where a VM's disks (and their snapshots) are in the site container. */
export const diskPrefix = (vmId: string): string => `disks/${vmId.toLowerCase()}/`;

/** Page blob name of a VM's disk in the site container. */
export function diskBlobName(vmId: string, diskId: string): string {
  return `${diskPrefix(vmId)}${diskId}.vhd`;
}

/** The VM as the site reports it (without the site's own bookkeeping). */
export function publicVm(vm: StoredVm, containerName: string): SiteVm {
  const { quiesce: _quiesce, historySeq: _historySeq, pendingPowerState: _pending, provisioningError: _error, ...rest } = vm;
  return { ...rest, disks: rest.disks.map((disk) => ({ ...disk, container: containerName })) };
}

export interface SiteStore {
  readonly siteKey: string;
  readonly containerName: string;
  readonly blobs: BlobServiceClient;
  readonly container: ContainerClient;
  diskBlob: (disk: Pick<SiteDisk, 'blobName'>) => PageBlobClient;
  /** The VM as the site reports it. */
  publicVm: (vm: StoredVm) => SiteVm;
  changeLog: (vmId: string) => ChangeLog;
  /** The VM's record (`VmNotFound` when missing or retired). */
  readVmRecord: (vmId: string) => Promise<{ vm: StoredVm; etag: string }>;
  /** The record blob as stored (a VM or a mark), `undefined` when there is none. */
  readRecordBody: (vmId: string) => Promise<{ body: VmRecordBody; etag: string } | undefined>;
  /** Read-modify-write of the VM record with its ETag, retried when another writer won. */
  updateVm(vmId: string, change: (vm: StoredVm) => StoredVm): Promise<StoredVm>;
  /** Writes a new record; false when one (or a mark) exists already. */
  createRecord(vm: StoredVm): Promise<boolean>;
  /**
   * Puts the mark of a retired VM in place of its record (or where none is); refused (`VmFenced`)
   * while the VM is fenced. A record written since it was read makes it look again. Returns the VM the
   * mark replaced (`undefined` when there was none, or a mark already).
   */
  retireRecord(vmId: string, itemKey: string): Promise<StoredVm | undefined>;
}

export function createSiteStore(blobs: BlobServiceClient, siteKey: string): SiteStore {
  const containerName = `hvsite-${siteKey}`;
  const container = blobs.getContainerClient(containerName);
  const logs = new Map<string, ChangeLog>();
  const jsonHeaders = { blobHTTPHeaders: { blobContentType: 'application/json' } };

  async function readRecordBody(vmId: string): Promise<{ body: VmRecordBody; etag: string } | undefined> {
    try {
      const response = await container.getBlockBlobClient(recordName(vmId)).download();
      if (!response.readableStreamBody || !response.etag) throw new Error(`VM record '${vmId}' came back without a body or ETag.`);
      const body = JSON.parse((await buffer(response.readableStreamBody)).toString('utf8')) as VmRecordBody;
      return { body, etag: response.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async function readVmRecord(vmId: string): Promise<{ vm: StoredVm; etag: string }> {
    if (!GUID.test(vmId)) throw new SiteError('VmNotFound', 'VM id must be a GUID.');
    const record = await readRecordBody(vmId);
    if (!record || isRetired(record.body)) throw new SiteError('VmNotFound', `VM '${vmId}' does not exist at this site.`);
    return { vm: record.body, etag: record.etag };
  }

  return {
    siteKey,
    containerName,
    blobs,
    container,
    diskBlob: (disk) => container.getPageBlobClient(disk.blobName),
    publicVm: (vm) => publicVm(vm, containerName),
    changeLog(vmId) {
      let log = logs.get(vmId);
      if (!log) logs.set(vmId, (log = createChangeLog(container, vmId)));
      return log;
    },
    readVmRecord,
    readRecordBody,
    async updateVm(vmId, change) {
      for (;;) {
        const { vm, etag } = await readVmRecord(vmId);
        const next = change(structuredClone(vm));
        const body = JSON.stringify(next);
        try {
          await container.getBlockBlobClient(recordName(vmId)).upload(body, Buffer.byteLength(body), { conditions: { ifMatch: etag }, ...jsonHeaders });
          return next;
        } catch (error) {
          if (statusOf(error) !== 412) throw error;
        }
      }
    },
    createRecord: (vm) => uploadIfAbsent(container.getBlockBlobClient(recordName(vm.id)), JSON.stringify(vm), jsonHeaders),
    async retireRecord(vmId, itemKey) {
      const mark: RetiredVm = { id: vmId, retired: true, itemKey, retiredAt: new Date().toISOString() };
      const body = JSON.stringify(mark);
      for (;;) {
        const current = await readRecordBody(vmId);
        if (current && isRetired(current.body)) return undefined;
        const vm = current && !isRetired(current.body) ? current.body : undefined;
        if (vm?.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced and cannot be removed.`);
        try {
          await container
            .getBlockBlobClient(recordName(vmId))
            .upload(body, Buffer.byteLength(body), { conditions: current ? { ifMatch: current.etag } : { ifNoneMatch: '*' }, metadata: { [RETIRED_FOR]: itemKey }, ...jsonHeaders });
          return vm;
        } catch (error) {
          if (!hasStatus(error, 409, 412)) throw error;
        }
      }
    },
  };
}
