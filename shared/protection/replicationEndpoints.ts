/**
 * Which way an item replicates right now, as the engine needs it: the site and VM whose disks are
 * checkpointed, the target written, the lease held on it, and the key its recovery points are stored
 * under.
 *
 * - `PrimaryToRecovery`: the Hyper-V site's VM → replica blobs at the recovery site.
 * - `RecoveryToPrimary` (after re-protect): the failed-over VM at the recovery site → the original
 *   VM's own disks, written under the fence the service holds on them, so the original host cannot
 *   write while the service does.
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import type { ReplicationEngine } from '../replication/replicationEngine.js';
import type { ReplicaTarget } from '../replication/replicaTarget.js';
import type { SiteAdapter } from '../site/SiteAdapter.js';
import { pointsKeyOf, primaryOf, type ProtectedItemRecord } from './protectedItemRecord.js';

export interface ReplicationEndpoints {
  engine: ReplicationEngine;
  /** The site whose VM is checkpointed. */
  source: SiteAdapter;
  sourceVmId: string;
  target: ReplicaTarget;
  /** Key the direction's recovery points are stored under. */
  pointsKey: string;
  /** diskId → target disk (reverse: the original disks); the item's replica blobs when absent. */
  targets?: Record<string, string>;
  /** Lease the service holds on the targets (reverse: the fence lease). */
  leaseId?: string;
}

export function replicationEndpoints(deps: Pick<Deps, 'sites' | 'engine'>, vault: VaultRef, record: ProtectedItemRecord): ReplicationEndpoints {
  const primary = primaryOf(record);
  if (record.state.replicationDirection === 'PrimaryToRecovery') {
    const source = deps.sites.hyperV(vault, primary.fabricName);
    const target = deps.sites.replicas(vault, record.recoveryFabricName).target;
    return { engine: deps.engine(source, target), source, sourceVmId: primary.vmId, target, pointsKey: record.itemKey };
  }
  if (!record.recoveryVm) throw new Error('Reverse replication needs the failed-over VM at the recovery site, and the item has none.');
  const source = deps.sites.recoveryVms(vault, record.recoveryFabricName);
  const fenced = deps.sites.hyperV(vault, primary.fabricName).fencedDiskTarget(primary.vmId);
  return {
    engine: deps.engine(source, fenced.target),
    source,
    sourceVmId: record.recoveryVm.vmId,
    target: fenced.target,
    pointsKey: pointsKeyOf(record),
    targets: Object.fromEntries(primary.disks.map((disk) => [disk.diskId, disk.blobName])),
    leaseId: fenced.leaseId,
  };
}
