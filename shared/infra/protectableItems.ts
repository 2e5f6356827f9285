import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { providerPath } from '../providers/providerRecord.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { containerNameOf, type FabricRecord } from './fabrics.js';
import { getProtectionMarks, getSiteInventory, type ProtectionMark, type SiteVm } from './siteInventory.js';

/** ARM type of protectable items. */
export const PROTECTABLE_ITEM_TYPE = 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectableItems';

const MIB = 1024 * 1024;

/** The path of a VM's protectable item. */
export function protectableItemPath(vault: VaultRef, fabricName: string, vmId: string): string {
  return vaultChildId(vault, ['replicationFabrics', fabricName], ['replicationProtectionContainers', containerNameOf(fabricName)], ['replicationProtectableItems', vmId]);
}

/** Where a reported disk's blob is (its URL without any query, never a SAS). */
export type DiskUrlOf = (container: string, blobName: string) => string;

/** A reported VM as ASR shows a protectable item (`HyperVVirtualMachine`), with its disks' blob locations. */
export function toProtectableItemResource(
  vault: VaultRef,
  fabricName: string,
  vm: SiteVm,
  mark: ProtectionMark | undefined,
  diskUrl: DiskUrlOf,
): ArmResource {
  const properties: Record<string, unknown> = {
    friendlyName: vm.name,
    protectionStatus: mark ? 'Protected' : 'Unprotected',
    recoveryServicesProviderId: vm.providerName ? providerPath(vault, fabricName, vm.providerName) : vm.hostName,
    protectionReadinessErrors: [],
    supportedReplicationProviders: ['HyperVReplicaAzure'],
    customDetails: {
      instanceType: 'HyperVVirtualMachine',
      sourceItemId: vm.id,
      generation: String(vm.generation),
      osDetails: { osType: vm.osType },
      diskDetails: vm.disks.map((disk) => ({
        maxSizeMB: Math.ceil(disk.sizeBytes / MIB),
        vhdType: disk.isOsDisk ? 'OperatingSystem' : 'DataDisk',
        vhdId: disk.id,
        vhdName: disk.name,
        sizeBytes: disk.sizeBytes,
        container: disk.container,
        blobName: disk.blobName,
        sourceDiskUri: diskUrl(disk.container, disk.blobName),
      })),
      hasPhysicalDisk: 'NotPresent',
      hasFibreChannelAdapter: 'NotPresent',
      hasSharedVhd: 'NotPresent',
      hyperVHostId: vm.hostName,
      cpuCount: vm.cpuCount,
      memoryMB: vm.memoryMB,
      powerState: vm.powerState,
    },
  };
  if (mark?.protectedItemId) properties.replicationProtectedItemId = mark.protectedItemId;
  return armResource(protectableItemPath(vault, fabricName, vm.id), vm.id, PROTECTABLE_ITEM_TYPE, properties);
}

/** The protectable items of a fabric's container (none for a recovery site). */
export async function listProtectableItems(repository: ControlPlaneRepository, vault: VaultRef, fabric: FabricRecord, diskUrl: DiskUrlOf): Promise<ArmResource[]> {
  if (fabric.instanceType !== 'HyperVSite') return [];
  const partition = vaultPartition(vault);
  const [inventory, marks] = await Promise.all([getSiteInventory(repository, partition, fabric.name), getProtectionMarks(repository, partition, fabric.name)]);
  return inventory.vms.map((vm) => toProtectableItemResource(vault, fabric.name, vm, marks.get(vm.id.toLowerCase()), diskUrl));
}

/** One protectable item (by VM id), or 404. */
export async function getProtectableItem(repository: ControlPlaneRepository, vault: VaultRef, fabric: FabricRecord, itemName: string, diskUrl: DiskUrlOf): Promise<ArmResource> {
  validateName('protectableItemName', itemName);
  const items = await listProtectableItems(repository, vault, fabric, diskUrl);
  const item = items.find((candidate) => candidate.name.toLowerCase() === itemName.toLowerCase());
  if (!item) throw new HttpError(404, 'ResourceNotFound', `Protectable item ${JSON.stringify(itemName)} was not found in the site's inventory.`, undefined, 'protectableItemName');
  return item;
}
