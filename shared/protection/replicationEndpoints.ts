/**
 * Which way an item replicates right now, as the engine needs it: the site and VM whose disks are
 * checkpointed, the container and blobs written, the lease held on them, and the key its recovery
 * points are stored under.
 *
 * - `PrimaryToRecovery`: the Hyper-V site's VM → replica blobs at the recovery site.
 * - `RecoveryToPrimary` (after re-protect): the failed-over VM at the recovery site → the original
 *   VM's own disks, written under the fence lease the service holds on them, so the original host
 *   cannot write while the service does.
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { ReplicationEngine } from '../replication/replicationEngine.js';
import type { HyperVSite } from '../site/hyperVSite.js';
import { primaryOf, type ProtectedItemRecord } from './protectedItemRecord.js';
import type { ProtectionServices } from './protectionServices.js';

export interface ReplicationEndpoints {
  engine: ReplicationEngine;
  /** The site whose VM is checkpointed. */
  source: HyperVSite;
  sourceVmId: string;
  /** Key the direction's recovery points are stored under. */
  pointsKey: string;
  /** diskId → target blob (reverse: the original disks); the item's replica blobs when absent. */
  targets?: Record<string, string>;
  /** Lease the service holds on the targets (reverse: the fence lease). */
  leaseId?: string;
  /** Creates the target container when missing. */
  ensureTarget(): Promise<void>;
}

/** The item key of reverse-direction recovery points. */
export const reversePointsKey = (itemKey: string): string => `${itemKey}-r`;

export function replicationEndpoints(services: ProtectionServices, vault: VaultRef, record: ProtectedItemRecord): ReplicationEndpoints {
  const primary = primaryOf(record);
  if (record.state.replicationDirection === 'PrimaryToRecovery') {
    const replicas = services.recoverySite(vault, record.recoveryFabricName);
    return {
      engine: services.engine(vault, primary.fabricName, record.recoveryFabricName),
      source: services.site(vault, primary.fabricName),
      sourceVmId: primary.vmId,
      pointsKey: record.itemKey,
      ensureTarget: () => replicas.ensure(),
    };
  }
  if (!record.recoveryVm) throw new Error('Reverse replication needs the failed-over VM at the recovery site, and the item has none.');
  const original = services.site(vault, primary.fabricName);
  const source = services.recoveryVmSite(vault, record.recoveryFabricName);
  return {
    engine: services.engineBetween(source, { blobs: original.blobs, containerName: original.containerName }),
    source,
    sourceVmId: record.recoveryVm.vmId,
    pointsKey: reversePointsKey(record.itemKey),
    targets: Object.fromEntries(primary.disks.map((disk) => [disk.diskId, disk.blobName])),
    leaseId: original.fenceLeaseId(primary.vmId),
    ensureTarget: () => original.ensure(),
  };
}
