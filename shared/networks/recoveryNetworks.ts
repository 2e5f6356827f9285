/**
 * The networks of a recovery site. A recovery site's VMs attach to virtual networks named by their
 * ARM id (`…/providers/Microsoft.Network/virtualNetworks/{name}`), accepted by shape as an item's
 * recovery and test networks are: the recovery site keeps no network inventory of its own. Its
 * networks are therefore the virtual networks the vault uses there — the targets of its network
 * mappings and the recovery and test networks of the items that recover to it — each named by a
 * GUID derived from its id. Pure.
 */
import { parseResourceId } from '../arm/resourceId.js';
import { derivedGuid, type NetworkSubnet } from './siteNetworks.js';

/** A virtual network the vault uses at a recovery site. */
export interface RecoveryNetwork {
  /** Its resource name (a GUID). */
  name: string;
  /** The virtual network's own name. */
  friendlyName: string;
  /** The virtual network's ARM id. */
  networkId: string;
  subnets: NetworkSubnet[];
}

/** One use of a virtual network at a recovery site (a mapping's target, an item's recovery or test network). */
export interface RecoveryNetworkUse {
  fabricName: string;
  networkId: string;
  subnetName?: string;
}

/** The resource name of a recovery site's network, from the virtual network's id (case-insensitive). */
export const recoveryNetworkNameOf = (networkId: string): string => derivedGuid(`recovery-network\n${networkId.toLowerCase()}`);

/** Whether `id` names a virtual network (`/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/{name}`). */
export function isVirtualNetworkId(id: string): boolean {
  const parsed = parseResourceId(id);
  const [network, ...rest] = parsed?.segments ?? [];
  return Boolean(parsed?.resourceGroupName) && parsed?.provider?.toLowerCase() === 'microsoft.network' && network?.type.toLowerCase() === 'virtualnetworks' && rest.length === 0;
}

/** A virtual network's own name (the last segment of its id). */
export const virtualNetworkNameOf = (networkId: string): string => networkId.split('/').filter(Boolean).pop() ?? networkId;

/** The networks the vault uses at recovery fabric `fabricName`, in name order, each once. */
export function recoveryNetworksOf(fabricName: string, uses: readonly RecoveryNetworkUse[]): RecoveryNetwork[] {
  const byId = new Map<string, RecoveryNetwork>();
  for (const use of uses) {
    if (use.fabricName.toLowerCase() !== fabricName.toLowerCase() || !isVirtualNetworkId(use.networkId)) continue;
    const key = use.networkId.toLowerCase();
    let network = byId.get(key);
    if (!network) byId.set(key, (network = { name: recoveryNetworkNameOf(use.networkId), friendlyName: virtualNetworkNameOf(use.networkId), networkId: use.networkId, subnets: [] }));
    if (use.subnetName && !network.subnets.some((subnet) => subnet.name.toLowerCase() === use.subnetName?.toLowerCase())) network.subnets.push({ name: use.subnetName, addressPrefixes: [] });
  }
  return [...byId.values()].sort((a, b) => a.friendlyName.localeCompare(b.friendlyName) || a.networkId.localeCompare(b.networkId));
}
