import type { CreateVmDisk, SnapshotSource } from '../site/types.js';
import type { RecoveryPoint, RecoveryPointDisk } from './recoveryPoint.js';

/** A protected disk as the VM to create should have it. */
export interface PointVmDisk {
  id: string;
  name: string;
  isOsDisk: boolean;
}

/**
 * The disks of a VM created from a recovery point (`SiteAdapter.createVmFromSnapshots`): each a copy
 * of the point's snapshot of that disk, keeping the protected disk's id and the point's disk size.
 * `sourceOf` says where a snapshot of the point can be copied from.
 */
export function vmDisksFromPoint(point: RecoveryPoint, disks: readonly PointVmDisk[], sourceOf: (disk: RecoveryPointDisk) => SnapshotSource): CreateVmDisk[] {
  return disks.map((disk) => {
    const snapshot = point.disks.find((d) => d.diskId === disk.id);
    if (!snapshot) throw new RangeError(`Recovery point '${point.id}' holds no snapshot of disk '${disk.id}'.`);
    return {
      id: disk.id,
      name: disk.name,
      sizeBytes: snapshot.sizeBytes,
      isOsDisk: disk.isOsDisk,
      source: sourceOf(snapshot),
    };
  });
}
