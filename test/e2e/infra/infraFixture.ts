/** Shared steps of the infrastructure tests: a host, raw ARM calls and a prepared vault. */
import { randomUUID } from 'node:crypto';
import type { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { createClients, type Clients, type Service } from '../../support/clients.js';

/** Poll quickly in tests. */
export const FAST = { updateIntervalInMs: 100 } as const;

/** A fresh subscription id per test, so tests never see each other's rows. */
export function newSubscription(): string {
  return randomUUID();
}

/** The ARM path of a vault. */
export function vaultPath(sub: string, rg: string, vault: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${vault}`;
}

/** Sends a raw request (JSON or raw text body) with the function key unless `key` is null. */
export async function armFetch(
  service: Service,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; apiVersion?: string | null; key?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const url = new URL(service.baseUrl + path);
  if (options.apiVersion !== null) url.searchParams.set('api-version', options.apiVersion ?? '2023-06-01');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  const key = options.key === undefined ? service.functionKey : options.key;
  if (key !== null) headers['x-functions-key'] = key;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

/** Collects a paged list. */
export async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

/** A vault with a Hyper-V site, a recovery site, a policy and their mapping. */
export interface PreparedVault {
  sub: string;
  rg: string;
  vault: string;
  clients: Clients;
  sr: SiteRecoveryManagementClient;
  site: string;
  recovery: string;
  policy: string;
  mapping: string;
}

/** Creates a resource group and a vault (and, unless `vaultOnly`, sites, a policy and a mapping). */
export async function prepareVault(service: Service, options: { vaultOnly?: boolean } = {}): Promise<PreparedVault> {
  const sub = newSubscription();
  const rg = 'rg';
  const vault = 'vault';
  const clients = createClients(service.baseUrl, service.functionKey, sub);
  const created = await armFetch(service, 'PUT', `/subscriptions/${sub}/resourcegroups/${rg}`, { body: { location: 'local' }, apiVersion: '2021-04-01' });
  if (created.status !== 201) throw new Error(`resource group: ${created.status} ${JSON.stringify(created.json)}`);
  await clients.recoveryServices.vaults.beginCreateOrUpdateAndWait(rg, vault, { location: 'local', sku: { name: 'Standard' } }, FAST);
  const prepared: PreparedVault = { sub, rg, vault, clients, sr: clients.siteRecovery, site: 'hyperv-site', recovery: 'recovery-site', policy: 'policy', mapping: 'mapping' };
  if (options.vaultOnly) return prepared;
  const { sr } = prepared;
  await sr.replicationFabrics.beginCreateAndWait(vault, rg, prepared.site, { properties: { customDetails: { instanceType: 'HyperVSite' } as never } }, FAST);
  await sr.replicationFabrics.beginCreateAndWait(vault, rg, prepared.recovery, { properties: { customDetails: { instanceType: 'Azure', location: 'local' } } }, FAST);
  const policy = await sr.replicationPolicies.beginCreateAndWait(
    vault,
    rg,
    prepared.policy,
    { properties: { providerSpecificInput: { instanceType: 'HyperVReplicaAzure', replicationInterval: 30, recoveryPointHistoryDuration: 24, applicationConsistentSnapshotFrequencyInHours: 1 } } },
    FAST,
  );
  await sr.replicationProtectionContainerMappings.beginCreateAndWait(
    vault,
    rg,
    prepared.site,
    `${prepared.site}-container`,
    prepared.mapping,
    { properties: { targetProtectionContainerId: `${vaultPath(sub, rg, vault)}/replicationFabrics/${prepared.recovery}/replicationProtectionContainers/${prepared.recovery}-container`, policyId: policy.id as string } },
    FAST,
  );
  return prepared;
}
