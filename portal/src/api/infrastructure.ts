/** The vault's infrastructure: sites (fabrics), their hosts (providers), policies, container mappings, networks. */
import { API_VERSIONS } from '../settings.js';
import { armList } from './armClient.js';
import { vaultPath, type VaultRef } from './resourcePaths.js';
import type { ContainerMapping, Fabric, Network, NetworkMapping, Policy, RecoveryServicesProvider } from './types.js';

const call = { apiVersion: API_VERSIONS.siteRecovery };
const list = <T>(vault: VaultRef, collection: string): Promise<T[]> => armList<T>(`${vaultPath(vault)}/${collection}`, call);

export const listFabrics = (vault: VaultRef): Promise<Fabric[]> => list<Fabric>(vault, 'replicationFabrics');
export const listProviders = (vault: VaultRef): Promise<RecoveryServicesProvider[]> => list<RecoveryServicesProvider>(vault, 'replicationRecoveryServicesProviders');
export const listPolicies = (vault: VaultRef): Promise<Policy[]> => list<Policy>(vault, 'replicationPolicies');
export const listContainerMappings = (vault: VaultRef): Promise<ContainerMapping[]> => list<ContainerMapping>(vault, 'replicationProtectionContainerMappings');
export const listNetworks = (vault: VaultRef): Promise<Network[]> => list<Network>(vault, 'replicationNetworks');
export const listNetworkMappings = (vault: VaultRef): Promise<NetworkMapping[]> => list<NetworkMapping>(vault, 'replicationNetworkMappings');
