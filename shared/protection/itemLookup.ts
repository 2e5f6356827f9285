/** Finding protected items: by route (404 naming what is missing), and a container's or vault's items page by page. */
import type { VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { containerNameOf, type FabricRecord } from '../infra/fabrics.js';
import { requireContainer } from '../infra/mappings.js';
import type { ControlPlaneRepository, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';

/** The names of an item in a route. */
export interface ItemRoute {
  fabricName: string;
  containerName: string;
  itemName: string;
}

/** Checks the route's names and that the container exists; returns the names as stored. */
export async function requireItemRoute(
  repository: ControlPlaneRepository,
  vault: VaultRef,
  fabricName: string,
  containerName: string,
  itemName?: string,
): Promise<{ fabric: FabricRecord; fabricName: string; containerName: string }> {
  if (itemName !== undefined) validateName('replicatedProtectedItemName', itemName);
  const fabric = await requireContainer(repository, vault, fabricName, containerName);
  return { fabric: fabric.value, fabricName: fabric.value.name, containerName: containerNameOf(fabric.value.name) };
}

/** The item's row, or `undefined`. */
export function findProtectedItem(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, containerName: string, itemName: string): Promise<StoredRow<ProtectedItemRecord> | undefined> {
  return repository.get<ProtectedItemRecord>(vaultPartition(vault), PROTECTED_ITEM_ROW, [fabricName, containerName, itemName]);
}

/** The item's row, or 404 naming it (route names checked first). */
export async function requireProtectedItem(repository: ControlPlaneRepository, vault: VaultRef, route: ItemRoute): Promise<StoredRow<ProtectedItemRecord>> {
  await requireItemRoute(repository, vault, route.fabricName, route.containerName, route.itemName);
  const row = await findProtectedItem(repository, vault, route.fabricName, route.containerName, route.itemName);
  if (!row) {
    throw new HttpError(404, 'ResourceNotFound', `Replication protected item ${JSON.stringify(route.itemName)} was not found.`, undefined, 'replicatedProtectedItemName');
  }
  return row;
}

/** One page of items: of one container (`fabricName` and `containerName`), or of the whole vault. */
export function listProtectedItems(
  repository: ControlPlaneRepository,
  vault: VaultRef,
  scope: { fabricName: string; containerName: string } | undefined,
  continuationToken?: string,
): Promise<RowPage<ProtectedItemRecord>> {
  return repository.list<ProtectedItemRecord>(vaultPartition(vault), PROTECTED_ITEM_ROW, {
    ...(scope ? { prefix: [scope.fabricName, scope.containerName] } : {}),
    ...(continuationToken ? { continuationToken } : {}),
  });
}
