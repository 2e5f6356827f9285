/**
 * A network mapping: a Hyper-V site's network → a virtual network at a recovery site. A network has
 * at most one mapping (its row is named `[fabric, network]`, the mapping's own name inside), so a
 * VM on that network fails over to exactly one network. The view (`NetworkMapping`) is pure.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { fabricPath } from '../infra/fabrics.js';
import type { Provisioned } from '../infra/provisioningJob.js';
import { networkPath } from './networkResource.js';
import { virtualNetworkNameOf } from './recoveryNetworks.js';

/** ARM type of network mappings. */
export const NETWORK_MAPPING_TYPE = 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationNetworks/replicationNetworkMappings';

/** The one kind of mapping served: a Hyper-V site's network to a recovery site's virtual network (ASR's VMM → Azure). */
export const NETWORK_MAPPING_KIND = 'VmmToAzure';

/** A stored network mapping. */
export interface NetworkMappingRecord extends Provisioned {
  name: string;
  /** The Hyper-V site and the network (its resource name, and the name its hosts report). */
  fabricName: string;
  networkName: string;
  networkFriendlyName: string;
  recoveryFabricName: string;
  /** The virtual network's ARM id. */
  recoveryNetworkId: string;
  createdAt: string;
  updatedAt: string;
}

/** The row name of a network's mapping. */
export const networkMappingRowName = (fabricName: string, networkName: string): string[] => [fabricName, networkName];

/** The path of a network mapping. */
export function networkMappingPath(vault: VaultRef, mapping: Pick<NetworkMappingRecord, 'fabricName' | 'networkName' | 'name'>): string {
  return vaultChildId(vault, ['replicationFabrics', mapping.fabricName], ['replicationNetworks', mapping.networkName], ['replicationNetworkMappings', mapping.name]);
}

/** Whether failovers follow the mapping (it is paired, and not being removed). */
export const isPaired = (mapping: Pick<NetworkMappingRecord, 'provisioningState'>): boolean => mapping.provisioningState === 'Succeeded' || mapping.provisioningState === 'Updating';

/** The mapping as `replicationNetworkMappings` GET returns it. */
export function toNetworkMappingResource(vault: VaultRef, mapping: NetworkMappingRecord): ArmResource {
  return armResource(networkMappingPath(vault, mapping), mapping.name, NETWORK_MAPPING_TYPE, {
    state: mapping.provisioningState === 'Creating' ? 'Pairing' : mapping.provisioningState === 'Deleting' ? 'Unpairing' : 'Paired',
    primaryNetworkFriendlyName: mapping.networkFriendlyName,
    primaryNetworkId: networkPath(vault, mapping.fabricName, mapping.networkName),
    primaryFabricFriendlyName: mapping.fabricName,
    recoveryNetworkFriendlyName: virtualNetworkNameOf(mapping.recoveryNetworkId),
    recoveryNetworkId: mapping.recoveryNetworkId,
    recoveryFabricArmId: fabricPath(vault, mapping.recoveryFabricName),
    recoveryFabricFriendlyName: mapping.recoveryFabricName,
    fabricSpecificSettings: { instanceType: NETWORK_MAPPING_KIND },
  });
}
