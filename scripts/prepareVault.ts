/**
 * Prepares infrastructure through the public API, as an operator would: the resource group, the
 * vault, a Hyper-V site and a recovery site (each with its container), a `HyperVReplicaAzure`
 * policy and the mapping between the containers; then reads the vault's registration key, which
 * the site's hosts present when they report. Used by the demo, the benchmarks and the tests.
 */
import type { Clients } from './armClients.js';

export interface VaultSetup {
  subscriptionId: string;
  resourceGroupName: string;
  vaultName: string;
  sourceFabric: string;
  recoveryFabric: string;
  policyName: string;
  mappingName: string;
  replicationIntervalSeconds: number;
  retentionHours: number;
  appConsistentHours: number;
  /** How often the clients poll long-running operations (default 500 ms). */
  updateIntervalInMs?: number;
}

export interface PreparedVault {
  vaultId: string;
  policyId: string;
  registrationKey: string;
  sourceContainer: string;
  recoveryContainer: string;
}

/** The container the service creates for a fabric. */
export const containerOf = (fabricName: string): string => `${fabricName}-container`;

async function armCall(baseUrl: string, key: string | undefined, method: string, path: string, apiVersion: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}?api-version=${apiVersion}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'x-functions-key': key } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Creates (or updates) everything `setup` names on the service at `baseUrl` (`http://host:port/api`). */
export async function prepareVault(baseUrl: string, key: string | undefined, clients: Clients, setup: VaultSetup): Promise<PreparedVault> {
  const { siteRecovery: sr, recoveryServices } = clients;
  const poll = { updateIntervalInMs: setup.updateIntervalInMs ?? 500 };
  const rg = setup.resourceGroupName;
  const vault = setup.vaultName;
  const vaultId = `/subscriptions/${setup.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${vault}`;
  await armCall(baseUrl, key, 'PUT', `/subscriptions/${setup.subscriptionId}/resourcegroups/${rg}`, '2021-04-01', { location: 'local' });
  await recoveryServices.vaults.beginCreateOrUpdateAndWait(rg, vault, { location: 'local', sku: { name: 'Standard' }, properties: {} }, poll);
  await sr.replicationFabrics.beginCreateAndWait(vault, rg, setup.sourceFabric, { properties: { customDetails: { instanceType: 'HyperVSite' } as never } }, poll);
  await sr.replicationFabrics.beginCreateAndWait(vault, rg, setup.recoveryFabric, { properties: { customDetails: { instanceType: 'Azure', location: 'local' } } }, poll);
  const policy = await sr.replicationPolicies.beginCreateAndWait(
    vault,
    rg,
    setup.policyName,
    {
      properties: {
        providerSpecificInput: {
          instanceType: 'HyperVReplicaAzure',
          replicationInterval: setup.replicationIntervalSeconds,
          recoveryPointHistoryDuration: setup.retentionHours,
          applicationConsistentSnapshotFrequencyInHours: setup.appConsistentHours,
        },
      },
    },
    poll,
  );
  const sourceContainer = containerOf(setup.sourceFabric);
  const recoveryContainer = containerOf(setup.recoveryFabric);
  await sr.replicationProtectionContainerMappings.beginCreateAndWait(
    vault,
    rg,
    setup.sourceFabric,
    sourceContainer,
    setup.mappingName,
    { properties: { targetProtectionContainerId: `${vaultId}/replicationFabrics/${setup.recoveryFabric}/replicationProtectionContainers/${recoveryContainer}`, policyId: policy.id! } },
    poll,
  );
  const { registrationKey } = (await armCall(baseUrl, key, 'POST', `${vaultId}/listRegistrationKey`, '2023-06-01')) as { registrationKey: string };
  return { vaultId, policyId: policy.id!, registrationKey, sourceContainer, recoveryContainer };
}
