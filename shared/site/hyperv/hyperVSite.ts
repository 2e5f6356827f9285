/**
 * The local Hyper-V site: a site whose VMs' disks are page blobs in the container
 * `hvsite-<siteKey>` of a storage account, with VM records, a change log per VM, checkpoints that
 * hold a VM's writes on all its disks while they are snapshotted, and fencing by blob leases. It
 * implements the service's `SiteAdapter` port, and adds what a host (and the tests) do besides:
 * adding VMs, running the guest's write workload, reading disks and the raw write history.
 */
import type { BlobServiceClient, ContainerClient, PageBlobClient } from '@azure/storage-blob';
import { SiteError } from '../../errors/SiteError.js';
import { allocatedRanges, createBlobReplicaTarget } from '../../replication/replicaTarget.js';
import type { StorageClients } from '../../storage/clients.js';
import { snapshotSource } from '../../storage/snapshotSource.js';
import { mergeRanges, type ByteRange } from '../byteRanges.js';
import type { SiteAdapter } from '../SiteAdapter.js';
import { assertSiteKey } from '../siteKeyOf.js';
import { UNTRACKED_CHANGES, type ChangeLogEntry, type CheckpointDisk, type HostNetwork, type SiteDisk, type SiteVm, type SnapshotSource } from '../types.js';
import { addVm, attachDisk, type AddDiskOptions, type AddVmOptions } from './addVm.js';
import type { ChangeLog } from './changeLog.js';
import { checkpoint, deleteCheckpoint, deleteCheckpoints, fenceLeaseIdOf, unchangedSince } from './checkpoints.js';
import { fence, unfence } from './fencing.js';
import { addNetwork, listNetworks } from './hostNetworks.js';
import { createVmFromSnapshots, vmProvisioning } from './provisioning.js';
import { ackName, createSiteStore, diskBlobName, type QuiesceAck, type StoredVm } from './siteStore.js';
import { findMissingDisks, forgetRetiredVms, removeVm, shutdown, start } from './vmLifecycle.js';

export type { AddDiskOptions, AddVmOptions, DiskContents } from './addVm.js';
export type { QuiesceAck, StoredVm } from './siteStore.js';
export { diskBlobName } from './siteStore.js';

export interface HyperVSite extends SiteAdapter {
  readonly siteKey: string;
  readonly containerName: string;
  readonly blobs: BlobServiceClient;
  readonly container: ContainerClient;
  /** Adds a VM as its host would: new disks of given sizes and contents. */
  addVm(options: AddVmOptions): Promise<SiteVm>;
  /** Attaches a new data disk to a VM, as its host would. */
  attachDisk(vmId: string, options: AddDiskOptions): Promise<SiteDisk>;
  /** Adds (or replaces) a network of the host that VMs connect to. */
  addNetwork(network: HostNetwork): Promise<HostNetwork>;
  /** The host's networks. */
  listNetworks(): Promise<HostNetwork[]>;
  readChangeLog: NonNullable<SiteAdapter['readChangeLog']>;
  unchangedSince: NonNullable<SiteAdapter['unchangedSince']>;
  /** The raw write history afterSeq < seq ≤ uptoSeq (default: all). */
  readWriteLog(vmId: string, afterSeq?: number, uptoSeq?: number): Promise<ChangeLogEntry[]>;
  /** The lease id the service holds on a fenced VM's disks. */
  fenceLeaseId(vmId: string): string;
  /** The whole content of a disk (or of one of its snapshots), for checks on small disks. */
  readDisk(vmId: string, diskId: string, snapshot?: string): Promise<Buffer>;
  /** A snapshot of this site's storage as the source of a disk copy. */
  snapshotSource(at: { container: string; blobName: string; snapshot: string }): SnapshotSource;
  /** Workload plumbing: the VM record, a disk's blob, the change log, the guest's quiesce answer. */
  readVmRecord: (vmId: string) => Promise<{ vm: StoredVm; etag: string }>;
  diskBlob: (disk: Pick<SiteDisk, 'blobName'>) => PageBlobClient;
  changeLog: (vmId: string) => ChangeLog;
  writeQuiesceAck: (vmId: string, ack: QuiesceAck) => Promise<void>;
}

/** The Hyper-V site `siteKey` in the given storage account. */
export function createHyperVSite(clients: Pick<StorageClients, 'blobs'>, options: { siteKey: string }): HyperVSite {
  assertSiteKey(options.siteKey);
  const store = createSiteStore(clients.blobs, options.siteKey);
  const { container } = store;
  const checkpointBlob = (disk: CheckpointDisk): PageBlobClient => clients.blobs.getContainerClient(disk.container).getPageBlobClient(disk.blobName).withSnapshot(disk.snapshot);

  async function getVm(vmId: string): Promise<SiteVm | undefined> {
    try {
      return store.publicVm((await store.readVmRecord(vmId)).vm);
    } catch (error) {
      if (error instanceof SiteError && error.code === 'VmNotFound') return undefined;
      throw error;
    }
  }

  return {
    siteKey: options.siteKey,
    containerName: store.containerName,
    blobs: clients.blobs,
    container,
    readVmRecord: store.readVmRecord,
    diskBlob: store.diskBlob,
    changeLog: store.changeLog,

    async ensure() {
      await container.createIfNotExists();
    },
    addVm: (input) => addVm(store, input),
    attachDisk: (vmId, input) => attachDisk(store, vmId.toLowerCase(), input),
    addNetwork: (network) => addNetwork(store, network),
    listNetworks: () => listNetworks(store),
    createEmptyVm: (spec) => addVm(store, { ...spec, disks: spec.disks.map((disk) => ({ id: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk })) }),
    createVmFromSnapshots: (input) => createVmFromSnapshots(store, input),
    vmProvisioning: (vmId) => vmProvisioning(store, vmId),

    async listVms() {
      const vms: SiteVm[] = [];
      if (!(await container.exists())) return vms;
      for await (const blob of container.listBlobsFlat({ prefix: 'vms/' })) {
        const id = /^vms\/([0-9a-f-]{36})\.json$/.exec(blob.name)?.[1];
        const vm = id ? await getVm(id) : undefined;
        if (vm) vms.push(vm);
      }
      return vms.sort((a, b) => a.name.localeCompare(b.name));
    },
    getVm,
    shutdown: (vmId) => shutdown(store, vmId),
    start: (vmId) => start(store, vmId),
    removeVm: (vmId, removeOptions) => removeVm(store, vmId, removeOptions),
    forgetRetiredVms: (itemKey) => forgetRetiredVms(store, itemKey),
    findMissingDisks: async (vmId, disks) => findMissingDisks(store, await getVm(vmId), vmId, disks),

    checkpoint: (vmId, checkpointOptions) => checkpoint(store, vmId, checkpointOptions),
    unchangedSince: (vmId, seq) => unchangedSince(store, vmId, seq),
    deleteCheckpoint: (toDelete) => deleteCheckpoint(store, toDelete),
    deleteCheckpoints: (vmId, tag, olderThan) => deleteCheckpoints(store, vmId, tag, olderThan),
    allocatedRangesAt: (disk) => allocatedRanges(checkpointBlob(disk), disk.sizeBytes),
    readAt: (disk, offset, length) => checkpointBlob(disk).downloadToBuffer(offset, length),

    async readChangeLog(vmId, afterSeq, uptoSeq) {
      // Sequence numbers count the guest's writes: none between the two, nothing to read.
      if (uptoSeq <= afterSeq) return { complete: uptoSeq === afterSeq, disks: {}, writes: 0 };
      const entries = await store.changeLog(vmId).read(afterSeq, uptoSeq);
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
    readWriteLog: (vmId, afterSeq = 0, uptoSeq = Number.MAX_SAFE_INTEGER) => store.changeLog(vmId).read(afterSeq, uptoSeq),

    fence: (vmId) => fence(store, vmId),
    unfence: (vmId, unfenceOptions) => unfence(store, vmId, unfenceOptions),
    fenceLeaseId: fenceLeaseIdOf,
    fencedDiskTarget: (vmId) => ({ target: createBlobReplicaTarget(container), leaseId: fenceLeaseIdOf(vmId) }),

    diskUrl: (vmId, diskId) => container.getBlobClient(diskBlobName(vmId, diskId)).url,
    snapshotSource: (at) => snapshotSource(clients.blobs, at),

    async readDisk(vmId, diskId, snapshot) {
      const { vm } = await store.readVmRecord(vmId);
      const disk = vm.disks.find((d) => d.id === diskId);
      if (!disk) throw new SiteError('VmNotFound', `VM '${vmId}' has no disk '${diskId}'.`);
      const blob = snapshot ? store.diskBlob(disk).withSnapshot(snapshot) : store.diskBlob(disk);
      return blob.downloadToBuffer(0, disk.sizeBytes);
    },

    async writeQuiesceAck(vmId, ack) {
      const body = JSON.stringify(ack);
      await container.getBlockBlobClient(ackName(vmId)).upload(body, Buffer.byteLength(body));
    },
  };
}
