import { armResource, type ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { containerNameOf, containerPath, type FabricRecord } from './fabrics.js';
import type { MappingRecord } from './mappings.js';
import { ROW } from './rowKinds.js';
import { getProtectionMarks } from './siteInventory.js';

/** ARM type of protection containers. */
export const CONTAINER_TYPE = 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers';

/** The fabric's protection container as ASR shows it (pairing from the mappings, count from the protection marks). */
export async function toContainerResource(repository: ControlPlaneRepository, vault: VaultRef, fabric: FabricRecord): Promise<ArmResource> {
  const partition = vaultPartition(vault);
  let paired = false;
  for await (const row of repository.listAll<MappingRecord>(partition, ROW.mapping)) {
    if (row.value.sourceFabricName === fabric.name || row.value.targetFabricName === fabric.name) paired = true;
  }
  const protectedItemCount = fabric.instanceType === 'HyperVSite' ? (await getProtectionMarks(repository, partition, fabric.name)).size : 0;
  return armResource(containerPath(vault, fabric.name), containerNameOf(fabric.name), CONTAINER_TYPE, {
    fabricFriendlyName: fabric.name,
    friendlyName: containerNameOf(fabric.name),
    fabricType: fabric.instanceType,
    protectedItemCount,
    pairingStatus: paired ? 'Paired' : 'NotPaired',
    role: fabric.instanceType === 'HyperVSite' ? 'Primary' : 'Recovery',
    fabricSpecificDetails: { instanceId: fabric.internalIdentifier },
  });
}
