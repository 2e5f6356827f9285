/** A network as ASR shows it (`replicationNetworks`: `NetworkProperties`). Pure. */
import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import type { FabricInstanceType } from '../infra/fabrics.js';
import type { NetworkSubnet } from './siteNetworks.js';

/** ARM type of networks. */
export const NETWORK_TYPE = 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationNetworks';

/** A network of a fabric: a Hyper-V site's reported network or a virtual network used at a recovery site. */
export interface NetworkView {
  fabricName: string;
  fabricType: FabricInstanceType;
  name: string;
  friendlyName: string;
  subnets: NetworkSubnet[];
  /** A recovery site's network: the virtual network's ARM id. */
  networkId?: string;
}

/** The path of a network. */
export function networkPath(vault: VaultRef, fabricName: string, networkName: string): string {
  return vaultChildId(vault, ['replicationFabrics', fabricName], ['replicationNetworks', networkName]);
}

/** The network as `replicationNetworks` GET returns it. */
export function toNetworkResource(vault: VaultRef, network: NetworkView): ArmResource {
  return armResource(networkPath(vault, network.fabricName, network.name), network.name, NETWORK_TYPE, {
    fabricType: network.fabricType,
    subnets: network.subnets.map((subnet) => ({ name: subnet.name, friendlyName: subnet.name, addressList: subnet.addressPrefixes })),
    friendlyName: network.friendlyName,
    ...(network.fabricType === 'HyperVSite' ? { networkType: 'NoIsolation' } : {}),
  });
}
