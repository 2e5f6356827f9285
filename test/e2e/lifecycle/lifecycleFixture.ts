/**
 * What the failover lifecycle tests read besides the official client: one protected item's stored
 * record, its recovery points' replica snapshots and the VMs' disks, compared by hash.
 */
import type { ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import type { RecoveryPoint } from '../../../shared/replication/recoveryPoint.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { enableInput, FAST, sha256, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';

/** One protected item as the tests see it. */
export interface ItemView {
  name: string;
  vm: SiteVm;
  /** The item's stored record. */
  record(): Promise<ProtectedItemRecord>;
  /** The item through the official client. */
  get(): Promise<ReplicationProtectedItem>;
  /** A forward recovery point by id. */
  point(pointId: string): Promise<RecoveryPoint>;
  /** SHA-256 of each of the VM's disks at `site` (in the source VM's disk order). */
  diskHashes(site: HyperVSite, vmId: string): Promise<string[]>;
  /** SHA-256 of each replica snapshot of `point` (in the source VM's disk order). */
  pointHashes(point: RecoveryPoint): Promise<string[]>;
  /** Waits for a recovery point taken after `time` and returns its time. */
  pointAfter(time: string, timeoutMs?: number): Promise<string>;
}

export function itemView(p: ProtectionVault, name: string, vm: SiteVm): ItemView {
  const view: ItemView = {
    name,
    vm,
    async record() {
      const row = await p.services.plane.repository.get<ProtectedItemRecord>(vaultPartition(p.ref), PROTECTED_ITEM_ROW, [p.site, p.container, name]);
      if (!row) throw new Error(`item ${name} missing`);
      return row.value;
    },
    get: () => p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, name),
    async point(pointId) {
      const point = await p.services.points.get(p.itemKey(name), pointId);
      if (!point) throw new Error(`point ${pointId} of ${name} missing`);
      return point;
    },
    diskHashes: (site, vmId) => Promise.all(vm.disks.map(async (d) => sha256(await site.readDisk(vmId, d.id)))),
    pointHashes: (point) =>
      Promise.all(
        vm.disks.map(async (d) => {
          const disk = point.disks.find((x) => x.diskId === d.id)!;
          return sha256(await p.hyperV.blobs.getContainerClient(disk.container).getPageBlobClient(disk.replicaBlob).withSnapshot(disk.snapshot).downloadToBuffer());
        }),
      ),
    async pointAfter(time, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const last = (await view.record()).replication.lastPointTime;
        if (last && Date.parse(last) > Date.parse(time)) return last;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no recovery point of ${name} after ${time}`);
    },
  };
  return view;
}

/** Names of the blobs under a VM's disk folder at a site (empty once the VM and its disks are gone). */
export async function diskBlobsOf(site: HyperVSite, vmId: string): Promise<string[]> {
  const names: string[] = [];
  if (!(await site.container.exists())) return names;
  for await (const blob of site.container.listBlobsFlat({ prefix: `disks/${vmId.toLowerCase()}/`, includeSnapshots: true })) names.push(blob.name);
  return names;
}

/** Adds a VM with disks of `sizes` (the first its OS disk, half random data) and protects it; resolves once it is Protected. */
export async function protectNewVm(p: ProtectionVault, name: string, sizes: readonly number[]): Promise<SiteVm> {
  const [vm] = (await p.addVms([
    { name, disks: sizes.map((sizeBytes, i) => ({ sizeBytes, isOsDisk: i === 0, contents: { kind: 'random' as const, fraction: 0.5 } })) },
  ])) as [SiteVm];
  await p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, name, enableInput(p, vm), FAST);
  await waitForItem(p, name, (i) => i.properties?.protectionState === 'Protected');
  return vm;
}
