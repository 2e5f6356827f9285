/**
 * The networks of a vault's fabrics: a Hyper-V site's from its hosts' reports (`siteNetworks.ts`),
 * a recovery site's from what the vault uses there (`recoveryNetworks.ts`).
 */
import type { VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { FABRIC_ROW, requireFabric, type FabricRecord } from '../infra/fabrics.js';
import { ROW } from '../infra/rowKinds.js';
import { getSiteInventory } from '../infra/siteInventory.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { NetworkMappingRecord } from './networkMappingResource.js';
import type { NetworkView } from './networkResource.js';
import { recoveryNetworksOf, type RecoveryNetworkUse } from './recoveryNetworks.js';
import { siteNetworksOf } from './siteNetworks.js';

/** Every use of a virtual network at the vault's recovery sites: mapping targets, items' recovery and test networks. */
export async function recoveryNetworkUses(repository: ControlPlaneRepository, partition: string): Promise<RecoveryNetworkUse[]> {
  const uses: RecoveryNetworkUse[] = [];
  for await (const row of repository.listAll<NetworkMappingRecord>(partition, ROW.networkMapping)) {
    if (row.value.provisioningState !== 'Deleting') uses.push({ fabricName: row.value.recoveryFabricName, networkId: row.value.recoveryNetworkId });
  }
  for await (const row of repository.listAll<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW)) {
    const { recovery, recoveryFabricName } = row.value;
    if (recovery.networkId) uses.push({ fabricName: recoveryFabricName, networkId: recovery.networkId, ...(recovery.subnetName ? { subnetName: recovery.subnetName } : {}) });
    if (recovery.testNetworkId) uses.push({ fabricName: recoveryFabricName, networkId: recovery.testNetworkId });
  }
  return uses;
}

/** The networks of one fabric, in name order. */
export async function networksOfFabric(repository: ControlPlaneRepository, vault: VaultRef, fabric: FabricRecord): Promise<NetworkView[]> {
  const partition = vaultPartition(vault);
  if (fabric.instanceType === 'HyperVSite') {
    const inventory = await getSiteInventory(repository, partition, fabric.name);
    return siteNetworksOf(fabric.name, inventory.networks).map((network) => ({ ...network, fabricName: fabric.name, fabricType: 'HyperVSite' }));
  }
  return recoveryNetworksOf(fabric.name, await recoveryNetworkUses(repository, partition)).map((network) => ({ ...network, fabricName: fabric.name, fabricType: 'Azure' }));
}

/** The networks of every fabric of the vault. */
export async function networksOfVault(repository: ControlPlaneRepository, vault: VaultRef): Promise<NetworkView[]> {
  const networks: NetworkView[] = [];
  for await (const row of repository.listAll<FabricRecord>(vaultPartition(vault), FABRIC_ROW)) networks.push(...(await networksOfFabric(repository, vault, row.value)));
  return networks;
}

/** A network of a fabric and the fabric; 404 naming the fabric or the network. */
export async function requireNetwork(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, networkName: string): Promise<{ fabric: FabricRecord; network: NetworkView }> {
  validateName('networkName', networkName);
  const fabric = (await requireFabric(repository, vault, fabricName)).value;
  const network = (await networksOfFabric(repository, vault, fabric)).find((candidate) => candidate.name.toLowerCase() === networkName.toLowerCase());
  if (!network) throw new HttpError(404, 'ResourceNotFound', `Network ${JSON.stringify(networkName)} was not found in fabric ${JSON.stringify(fabricName)}.`, undefined, 'networkName');
  return { fabric, network };
}
