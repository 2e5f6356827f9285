/**
 * An item's recovery points for the DataReplication API: the same points, from the same store and in
 * the same direction, that `recoveryPoints` of the replication protected item lists; newest first.
 */
import type { ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import type { ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { getRecoveryPoint, listRecoveryPoints } from '../protection/recoveryPointResource.js';
import { toRecoveryPointModel } from './toRecoveryPointModel.js';

/** One page of the item's points, newest first. */
export function listRecoveryPointModels(deps: Pick<Deps, 'points' | 'ready'>, vault: VaultRef, record: ProtectedItemRecord, continuationToken?: string): Promise<{ values: ArmResource[]; continuationToken?: string }> {
  return listRecoveryPoints(deps, vault, record, continuationToken, (point) => toRecoveryPointModel(vault, record.name, point));
}

/** One point, or 404 naming it. */
export function getRecoveryPointModel(deps: Pick<Deps, 'points' | 'ready'>, vault: VaultRef, record: ProtectedItemRecord, pointName: string): Promise<ArmResource> {
  return getRecoveryPoint(deps, vault, record, pointName, (point) => toRecoveryPointModel(vault, record.name, point));
}
