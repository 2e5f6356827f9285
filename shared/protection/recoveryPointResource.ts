/**
 * Recovery points of a protected item as ASR shows them (`recoveryPoints` get and list): newest
 * first, in the item's current replication direction.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';
import { itemPathOf, pointsKeyOf, type ProtectedItemRecord } from './protectedItemRecord.js';
import type { Deps } from '../deps.js';

/** ARM type of recovery points. */
export const RECOVERY_POINT_TYPE =
  'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems/recoveryPoints';

/** Points per page. */
const PAGE_SIZE = 100;

/** The ARM path of one of an item's recovery points. */
export function recoveryPointPath(vault: VaultRef, record: ProtectedItemRecord, pointId: string): string {
  return `${itemPathOf({ ...record, vault })}/recoveryPoints/${encodeURIComponent(pointId)}`;
}

/**
 * A point as ASR shows it. The client's provider-specific point details have no `HyperVReplicaAzure`
 * variant, so none are given (as ASR gives none for Hyper-V points).
 */
export function toRecoveryPointResource(vault: VaultRef, record: ProtectedItemRecord, point: RecoveryPoint): ArmResource {
  return armResource(recoveryPointPath(vault, record, point.id), point.id, RECOVERY_POINT_TYPE, {
    recoveryPointTime: point.time,
    recoveryPointType: point.type,
  });
}

/** How a point is shown: ASR's view by default, another provider's by its own. */
export type PointView = (point: RecoveryPoint) => ArmResource;

/** One page of the item's points, newest first. */
export async function listRecoveryPoints(
  deps: Pick<Deps, 'points' | 'ready'>,
  vault: VaultRef,
  record: ProtectedItemRecord,
  continuationToken?: string,
  view: PointView = (point) => toRecoveryPointResource(vault, record, point),
): Promise<{ values: ArmResource[]; continuationToken?: string }> {
  await deps.ready();
  const pages = deps.points.list(pointsKeyOf(record)).byPage({ maxPageSize: PAGE_SIZE, ...(continuationToken ? { continuationToken } : {}) });
  const page = await pages.next();
  if (page.done) return { values: [] };
  const values = page.value.map(view);
  return page.value.continuationToken ? { values, continuationToken: page.value.continuationToken } : { values };
}

/** One point, or 404 naming it. */
export async function getRecoveryPoint(
  deps: Pick<Deps, 'points' | 'ready'>,
  vault: VaultRef,
  record: ProtectedItemRecord,
  pointName: string,
  view: PointView = (point) => toRecoveryPointResource(vault, record, point),
): Promise<ArmResource> {
  validateName('recoveryPointName', pointName);
  await deps.ready();
  const point = await deps.points.get(pointsKeyOf(record), pointName);
  if (!point) throw new HttpError(404, 'ResourceNotFound', `Recovery point ${JSON.stringify(pointName)} of protected item ${JSON.stringify(record.name)} was not found.`, undefined, 'recoveryPointName');
  return view(point);
}

