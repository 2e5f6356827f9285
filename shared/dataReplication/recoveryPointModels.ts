/**
 * An item's recovery points for the DataReplication API: the same points, from the same store and in
 * the same direction, that `recoveryPoints` of the replication protected item lists; newest first.
 */
import type { ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import type { Deps } from '../deps.js';
import { HttpError } from '../errors/HttpError.js';
import { pointsKeyOf, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { toRecoveryPointModel } from './toRecoveryPointModel.js';

/** Points per page. */
const PAGE_SIZE = 100;

/** One page of the item's points, newest first. */
export async function listRecoveryPointModels(
  deps: Pick<Deps, 'points' | 'ready'>,
  vault: VaultRef,
  record: ProtectedItemRecord,
  continuationToken?: string,
): Promise<{ values: ArmResource[]; continuationToken?: string }> {
  await deps.ready();
  const pages = deps.points.list(pointsKeyOf(record)).byPage({ maxPageSize: PAGE_SIZE, ...(continuationToken ? { continuationToken } : {}) });
  const page = await pages.next();
  if (page.done) return { values: [] };
  const values = page.value.map((point) => toRecoveryPointModel(vault, record.name, point));
  return page.value.continuationToken ? { values, continuationToken: page.value.continuationToken } : { values };
}

/** One point, or 404 naming it. */
export async function getRecoveryPointModel(deps: Pick<Deps, 'points' | 'ready'>, vault: VaultRef, record: ProtectedItemRecord, pointName: string): Promise<ArmResource> {
  validateName('recoveryPointName', pointName);
  await deps.ready();
  const point = await deps.points.get(pointsKeyOf(record), pointName);
  if (!point) throw new HttpError(404, 'ResourceNotFound', `Recovery point ${JSON.stringify(pointName)} of protected item ${JSON.stringify(record.name)} was not found.`, undefined, 'recoveryPointName');
  return toRecoveryPointModel(vault, record.name, point);
}
