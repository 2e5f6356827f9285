/**
 * What an item's recovery network depends on besides its own settings: its source VM's adapter
 * (from the last report of the VM's site) and the paired mapping of that adapter's network to the
 * item's recovery site.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { ROW } from '../infra/rowKinds.js';
import { getSiteInventory } from '../infra/siteInventory.js';
import { itemRowName, primaryOf, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { isPaired, type NetworkMappingRecord } from './networkMappingResource.js';
import type { VmNetwork } from '../site/types.js';
import { chooseRecoveryNic, sourceNicOf, vmNetworkOf, type SourceNic } from './recoveryNic.js';
import { siteNetworkNameOf, siteNetworksOf } from './siteNetworks.js';

/** An item's source adapter and the network it is mapped to (each absent when unknown). */
export interface ItemNetworkFacts {
  source?: SourceNic;
  mappedNetworkId?: string;
  /** The mapping followed. */
  mappingName?: string;
}

/** The key of an item in the map `itemNetworkFacts` returns. */
export const factsKeyOf = (item: Pick<ProtectedItemRecord, 'fabricName' | 'containerName' | 'name'>): string => itemRowName(item).join('\n').toLowerCase();

/** The network facts of each item (loading each source site's report and mappings once). */
export async function itemNetworkFacts(repository: ControlPlaneRepository, vault: VaultRef, items: readonly ProtectedItemRecord[]): Promise<Map<string, ItemNetworkFacts>> {
  const partition = vaultPartition(vault);
  const sites = new Map<string, Promise<{ inventory: Awaited<ReturnType<typeof getSiteInventory>>; mappings: NetworkMappingRecord[] }>>();
  const siteOf = (fabricName: string) => {
    const key = fabricName.toLowerCase();
    let loaded = sites.get(key);
    if (!loaded) {
      loaded = (async () => {
        const mappings: NetworkMappingRecord[] = [];
        for await (const row of repository.listAll<NetworkMappingRecord>(partition, ROW.networkMapping, { prefix: [fabricName] })) mappings.push(row.value);
        return { inventory: await getSiteInventory(repository, partition, fabricName), mappings };
      })();
      sites.set(key, loaded);
    }
    return loaded;
  };
  const facts = new Map<string, ItemNetworkFacts>();
  for (const item of items) {
    const primary = primaryOf(item);
    const { inventory, mappings } = await siteOf(primary.fabricName);
    const vm = inventory.vms.find((candidate) => candidate.id.toLowerCase() === primary.vmId.toLowerCase());
    const source = sourceNicOf(vm?.nics?.[0], siteNetworksOf(primary.fabricName, inventory.networks));
    const networkName = source ? siteNetworkNameOf(primary.fabricName, source.networkName) : undefined;
    const mapping = mappings.find(
      (candidate) => candidate.networkName === networkName && isPaired(candidate) && candidate.recoveryFabricName.toLowerCase() === item.recoveryFabricName.toLowerCase(),
    );
    facts.set(factsKeyOf(item), { ...(source ? { source } : {}), ...(mapping ? { mappedNetworkId: mapping.recoveryNetworkId, mappingName: mapping.name } : {}) });
  }
  return facts;
}

/**
 * The network, subnet and address of the VM an operation on `item` brings up at the recovery site
 * (`recoveryNic.ts`), as its job carries them.
 */
export async function recoveryNicFor(
  repository: ControlPlaneRepository,
  vault: VaultRef,
  item: ProtectedItemRecord,
  purpose: 'test' | 'failover',
  requestedNetworkId?: string,
): Promise<VmNetwork> {
  const facts = (await itemNetworkFacts(repository, vault, [item])).get(factsKeyOf(item)) ?? {};
  return vmNetworkOf(chooseRecoveryNic({ purpose, recovery: item.recovery, ...facts, ...(requestedNetworkId ? { requestedNetworkId } : {}) }));
}
