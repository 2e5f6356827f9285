/**
 * Finding a protected item by the name DataReplication gives it: the name of its replication
 * protected item, looked up in the container of each of the vault's Hyper-V sites (each site has
 * one container, and only Hyper-V sites' containers hold protected items).
 */
import type { VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { containerNameOf, FABRIC_ROW, type FabricRecord } from '../infra/fabrics.js';
import { findProtectedItem } from '../protection/itemLookup.js';
import type { ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import type { ControlPlaneRepository, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';

/** The item's row, or 404 naming it; 409 when items of that name exist in more than one site. */
export async function requireProtectedItemByName(repository: ControlPlaneRepository, vault: VaultRef, itemName: string): Promise<StoredRow<ProtectedItemRecord>> {
  validateName('protectedItemName', itemName);
  const found: Array<StoredRow<ProtectedItemRecord>> = [];
  for await (const fabric of repository.listAll<FabricRecord>(vaultPartition(vault), FABRIC_ROW)) {
    if (fabric.value.instanceType !== 'HyperVSite') continue;
    const row = await findProtectedItem(repository, vault, fabric.value.name, containerNameOf(fabric.value.name), itemName);
    if (row) found.push(row);
  }
  const [first, ...others] = found;
  if (!first) {
    throw new HttpError(404, 'ResourceNotFound', `Protected item ${JSON.stringify(itemName)} was not found in the vault.`, undefined, 'protectedItemName');
  }
  if (others.length > 0) {
    const sites = found.map((row) => `'${row.value.fabricName}'`).join(', ');
    throw new HttpError(
      409,
      'AmbiguousProtectedItemName',
      `Replication protected items named ${JSON.stringify(itemName)} exist in the containers of sites ${sites}; use the replicationProtectedItems API of the Recovery Services vault, which names the container.`,
      undefined,
      'protectedItemName',
    );
  }
  return first;
}
