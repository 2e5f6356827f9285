/**
 * The vault's appliances (`replicationAppliances` list): every Hyper-V host that has reported to one
 * of the vault's Hyper-V sites, with its health and the items it replicates (`toReplicationAppliance`).
 */
import type { VaultRef } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { FABRIC_ROW, type FabricRecord } from './fabrics.js';
import { SITE_HOST_ROW, type SiteHostRecord } from './siteInventory.js';
import { toReplicationAppliance, type ReplicationApplianceView } from './toReplicationAppliance.js';

/** All of the vault's appliances, by site then host. `$filter` is not supported (400). */
export async function listReplicationAppliances(repository: ControlPlaneRepository, vault: VaultRef, filter: string | null, now = new Date()): Promise<ReplicationApplianceView[]> {
  if (filter) throw new HttpError(400, 'InvalidParameter', "Invalid value for '$filter': replicationAppliances cannot be filtered; omit $filter.", undefined, '$filter');
  const partition = vaultPartition(vault);
  const items: ProtectedItemRecord[] = [];
  for await (const row of repository.listAll<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW)) items.push(row.value);
  const appliances: ReplicationApplianceView[] = [];
  for await (const fabric of repository.listAll<FabricRecord>(partition, FABRIC_ROW)) {
    if (fabric.value.instanceType !== 'HyperVSite') continue;
    for await (const host of repository.listAll<SiteHostRecord>(partition, SITE_HOST_ROW, { prefix: [fabric.value.name] })) {
      appliances.push(toReplicationAppliance(vault, host.value, items, now));
    }
  }
  return appliances;
}
