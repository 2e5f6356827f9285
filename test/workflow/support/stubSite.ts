/**
 * A site in memory behind the `SiteAdapter` port: VMs with their disks, power and fence state, VMs
 * created from snapshots that take one look to provision, and a log of every call the service made,
 * in order, for the workflow tests to read.
 */
import { SiteError } from '../../../shared/errors/SiteError.js';
import type { ReplicaTarget, TargetDisk } from '../../../shared/replication/replicaTarget.js';
import type { SiteAdapter } from '../../../shared/site/SiteAdapter.js';
import type { SiteVm } from '../../../shared/site/types.js';

export interface SiteCall {
  site: string;
  op: string;
  vmId?: string;
  detail?: unknown;
}

export interface StubSite extends SiteAdapter {
  readonly name: string;
  readonly vms: Map<string, SiteVm & { pendingPowerState?: SiteVm['powerState']; looksLeft?: number }>;
}

const unused = (what: string): never => {
  throw new Error(`${what} is not part of a job's work.`);
};

/** A target whose disks record restores (a failback restoring the original disks) and are done at once. */
function recordingTarget(site: string, calls: SiteCall[]): ReplicaTarget {
  const disk = (name: string): TargetDisk => ({
    name,
    createIfMissing: () => unused('createIfMissing'),
    info: () => unused('info'),
    acquireLease: () => unused('acquireLease'),
    releaseLease: () => unused('releaseLease'),
    resize: () => unused('resize'),
    setCycleMark: () => unused('setCycleMark'),
    writePages: () => unused('writePages'),
    clearPages: () => unused('clearPages'),
    read: () => unused('read'),
    allocatedRanges: () => unused('allocatedRanges'),
    snapshotForPoint: () => unused('snapshotForPoint'),
    deletePointSnapshots: () => unused('deletePointSnapshots'),
    async restoreSnapshot(snapshot, marker, leaseId) {
      calls.push({ site, op: 'restoreSnapshot', detail: { name, snapshot, marker, leaseId } });
      return 'done';
    },
  });
  return {
    containerName: `${site}-disks`,
    ensure: async () => undefined,
    exists: async () => true,
    disk,
    upload: () => unused('upload'),
    uploadNew: () => unused('uploadNew'),
    download: () => unused('download'),
    fileExists: () => unused('fileExists'),
    list: () => unused('list'),
    deletePrefix: () => unused('deletePrefix'),
  };
}

export function createStubSite(name: string, calls: SiteCall[]): StubSite {
  const vms: StubSite['vms'] = new Map();
  /** Ids of VMs removed with `retire`, and the item each was made for. */
  const retired = new Map<string, string>();
  const record = (op: string, vmId?: string, detail?: unknown): void => {
    calls.push({ site: name, op, ...(vmId ? { vmId } : {}), ...(detail === undefined ? {} : { detail }) });
  };
  const vmOf = (vmId: string) => {
    const vm = vms.get(vmId.toLowerCase());
    if (!vm) throw new SiteError('VmNotFound', `VM '${vmId}' does not exist at this site.`);
    return vm;
  };
  const target = recordingTarget(name, calls);
  const copy = (vm: SiteVm): SiteVm => {
    const { pendingPowerState: _pending, looksLeft: _looks, ...rest } = vm as SiteVm & { pendingPowerState?: unknown; looksLeft?: unknown };
    return structuredClone(rest);
  };
  return {
    name,
    vms,
    ensure: async () => undefined,
    listVms: async () => [...vms.values()].map(copy),
    getVm: async (vmId) => {
      const vm = vms.get(vmId.toLowerCase());
      return vm ? copy(vm) : undefined;
    },
    async createEmptyVm(spec) {
      record('createEmptyVm', spec.id);
      const vm: SiteVm = {
        id: spec.id.toLowerCase(),
        name: spec.name,
        osType: spec.osType,
        generation: spec.generation,
        cpuCount: spec.cpuCount,
        memoryMB: spec.memoryMB,
        powerState: spec.powerState,
        fenced: false,
        disks: spec.disks.map((disk) => ({ ...disk, container: target.containerName, blobName: `disks/${spec.id.toLowerCase()}/${disk.id}.vhd` })),
      };
      vms.set(vm.id, vm);
      return copy(vm);
    },
    async createVmFromSnapshots(spec) {
      const id = spec.id.toLowerCase();
      const existing = vms.get(id);
      if (existing) return copy(existing);
      if (retired.has(id)) throw new SiteError('VmRemoved', `VM '${id}' was removed.`);
      record('createVmFromSnapshots', id, { name: spec.name, network: spec.network, sources: spec.disks.map((disk) => ({ id: disk.id, url: disk.source.url })) });
      vms.set(id, {
        id,
        name: spec.name,
        osType: spec.osType,
        generation: spec.generation,
        cpuCount: spec.cpuCount,
        memoryMB: spec.memoryMB,
        powerState: 'Off',
        fenced: false,
        provisioningState: 'Provisioning',
        disks: spec.disks.map((disk) => ({ id: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk, container: target.containerName, blobName: `disks/${id}/${disk.id}.vhd` })),
        ...(spec.network ? { network: spec.network } : {}),
        ...(spec.origin ? { origin: spec.origin } : {}),
        pendingPowerState: spec.powerState ?? 'Running',
        looksLeft: 1,
      });
      return copy(vmOf(id));
    },
    async vmProvisioning(vmId) {
      const vm = vmOf(vmId);
      if (vm.provisioningState !== 'Provisioning') return { state: vm.provisioningState ?? 'Succeeded', progress: 100 };
      if ((vm.looksLeft ?? 0) > 0) {
        vm.looksLeft = (vm.looksLeft ?? 1) - 1;
        return { state: 'Provisioning', progress: 50 };
      }
      vm.provisioningState = 'Succeeded';
      vm.powerState = vm.pendingPowerState ?? 'Running';
      return { state: 'Succeeded', progress: 100 };
    },
    async shutdown(vmId) {
      record('shutdown', vmId);
      const vm = vmOf(vmId);
      vm.powerState = 'Off';
      return copy(vm);
    },
    async start(vmId) {
      record('start', vmId);
      const vm = vmOf(vmId);
      if (vm.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced.`);
      vm.powerState = 'Running';
      return copy(vm);
    },
    async removeVm(vmId, options) {
      record('removeVm', vmId);
      if (vms.get(vmId.toLowerCase())?.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced and cannot be removed.`);
      vms.delete(vmId.toLowerCase());
      if (options?.retire) retired.set(vmId.toLowerCase(), options.retire.itemKey);
    },
    async forgetRetiredVms(itemKey) {
      const ids = [...retired].filter(([, key]) => key === itemKey).map(([id]) => id);
      for (const id of ids) retired.delete(id);
      return ids.length;
    },
    async findMissingDisks(vmId, disks) {
      const vm = vms.get(vmId.toLowerCase());
      if (!vm) return [`VM '${vmId}' no longer exists.`];
      return disks.filter((want) => !vm.disks.some((disk) => disk.id === want.id && disk.sizeBytes === want.sizeBytes)).map((want) => `Disk '${want.id}' is missing.`);
    },
    checkpoint: () => unused('checkpoint'),
    async deleteCheckpoint(checkpoint) {
      record('deleteCheckpoint', undefined, checkpoint.disks.map((disk) => disk.snapshot));
    },
    deleteCheckpoints: () => Promise.resolve(0),
    allocatedRangesAt: () => unused('allocatedRangesAt'),
    readAt: () => unused('readAt'),
    async fence(vmId) {
      record('fence', vmId);
      vmOf(vmId).fenced = true;
    },
    async unfence(vmId, options) {
      record('unfence', vmId, options);
      vmOf(vmId).fenced = false;
    },
    fencedDiskTarget: (vmId) => ({ target, leaseId: `fence-${vmId.toLowerCase()}` }),
    diskUrl: (vmId, diskId) => `memory://${name}/${vmId}/${diskId}`,
  };
}
