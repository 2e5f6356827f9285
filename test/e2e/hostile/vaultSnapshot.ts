/**
 * What a refused request could have changed in a prepared vault, read through the API: the
 * subscription's vaults, the vault's resources with their states, and its jobs.
 */
import type { Service } from '../../support/clients.js';
import type { ProtectionVault } from '../protection/protectionFixture.js';

/** The ARM error envelope with a non-empty code and message. */
export function isArmErrorEnvelope(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || !('error' in json)) return false;
  const { error } = json;
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) return false;
  return typeof error.code === 'string' && error.code !== '' && typeof error.message === 'string' && error.message !== '';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
}

async function getJson(service: Service, url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { 'x-functions-key': service.functionKey } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** The resources of a list (every page), each as its id and the chosen properties. */
async function listed(service: Service, path: string, fields: readonly string[], apiVersion = '2023-06-01'): Promise<string[]> {
  const rows: string[] = [];
  let next: string | undefined = `${service.baseUrl}${path}?api-version=${apiVersion}`;
  while (next) {
    const page = record(await getJson(service, next));
    const values: unknown[] = Array.isArray(page.value) ? page.value : [];
    for (const value of values) {
      const resource = record(value);
      const properties = record(resource.properties);
      rows.push(JSON.stringify([resource.id, ...fields.map((field) => properties[field])]));
    }
    next = typeof page.nextLink === 'string' ? page.nextLink : undefined;
  }
  return rows.sort();
}

/** What most commands change (the protected items and the jobs), cheap enough to read after every request. */
export async function quickSnapshot(service: Service, p: ProtectionVault): Promise<Record<string, string[]>> {
  const vault = `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}`;
  const [items, jobs] = await Promise.all([
    listed(service, `${vault}/replicationProtectedItems`, ['protectionState', 'testFailoverState', 'activeLocation', 'currentScenario']),
    listed(service, `${vault}/replicationJobs`, ['state', 'scenarioName']),
  ]);
  return { items, jobs };
}

/** Everything a request could have changed, as sorted text rows. */
export async function vaultSnapshot(service: Service, p: ProtectionVault): Promise<Record<string, string[]>> {
  const sub = `/subscriptions/${p.sub}`;
  const vault = `${sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}`;
  const container = `${vault}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}`;
  const [vaults, fabrics, containers, policies, mappings, items, plans, alerts, networks, networkMappings, providers, schedules, jobs] = await Promise.all([
    listed(service, `${sub}/providers/Microsoft.RecoveryServices/vaults`, ['provisioningState'], '2024-04-01'),
    listed(service, `${vault}/replicationFabrics`, ['friendlyName']),
    listed(service, `${vault}/replicationProtectionContainers`, ['pairingStatus']),
    listed(service, `${vault}/replicationPolicies`, ['providerSpecificDetails']),
    listed(service, `${vault}/replicationProtectionContainerMappings`, ['state', 'policyId']),
    listed(service, `${container}/replicationProtectedItems`, ['protectionState', 'testFailoverState', 'activeLocation', 'currentScenario']),
    listed(service, `${vault}/replicationRecoveryPlans`, ['currentScenario', 'allowedOperations']),
    listed(service, `${vault}/replicationAlertSettings`, ['sendToOwners', 'customEmailAddresses']),
    listed(service, `${vault}/replicationNetworks`, ['friendlyName']),
    listed(service, `${vault}/replicationNetworkMappings`, ['state']),
    listed(service, `${vault}/replicationRecoveryServicesProviders`, ['connectionState']),
    listed(service, `${vault}/replicationDrillSchedules`, []),
    listed(service, `${vault}/replicationJobs`, ['state', 'scenarioName']),
  ]);
  return { vaults, fabrics, containers, policies, mappings, items, plans, alerts, networks, networkMappings, providers, schedules, jobs };
}
