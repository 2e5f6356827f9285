/**
 * A recovery point as `Microsoft.DataReplication/…/protectedItems/recoveryPoints` shows it
 * (`RecoveryPointModel` with `HyperVToAzStackHCI` custom properties: the disks the point holds). Pure.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';
import { drRecoveryPointId, DR_TYPE, HCI_INSTANCE_TYPE } from './dataReplicationIds.js';

export function toRecoveryPointModel(vault: VaultRef, itemName: string, point: RecoveryPoint): ArmResource {
  return armResource(drRecoveryPointId(vault, itemName, point.id), point.id, DR_TYPE.recoveryPoint, {
    recoveryPointTime: point.time,
    recoveryPointType: point.type,
    customProperties: { instanceType: HCI_INSTANCE_TYPE, diskIds: point.disks.map((disk) => disk.diskId) },
    provisioningState: 'Succeeded',
  });
}
