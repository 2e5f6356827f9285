/**
 * No secret leaves the service: a representative lifecycle against the local host with keys
 * enforced (prepare, protect, test failover and cleanup, a recovery plan's test failover whose job
 * fails, planned failover and commit, events and jobs listed), every answer the clients receive (headers and bodies) and every
 * line the host printed are scanned for the storage account key, SAS signatures, connection
 * strings, the vault's registration key and the function and master keys. The one answer allowed
 * to carry a secret is the registration key's own endpoint.
 */
import type { RecoveryPlanAction } from '@azure/arm-recoveryservices-siterecovery';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createClients, startService, type Clients, type Service } from '../../support/clients.js';
import { protectNewVm } from '../lifecycle/lifecycleFixture.js';
import { FAST, MiB, prepareProtection, type ProtectionVault } from '../protection/protectionFixture.js';

/** Azurite's well-known account key (the test storage's). */
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** One thing the caller received or the host printed. */
interface Seen {
  what: string;
  text: string;
}

const seen: Seen[] = [];

/** A pipeline policy that records every answer's headers and body. */
const recordAnswers: PipelinePolicy = {
  name: 'recordAnswers',
  async sendRequest(request, next) {
    const response = await next(request);
    seen.push({ what: `${request.method} ${request.url} → ${response.status}`, text: `${JSON.stringify(response.headers.toJSON())}\n${response.bodyAsText ?? ''}` });
    return response;
  },
};

function recordingClients(service: Service, subscriptionId: string): Clients {
  const clients = createClients(service.baseUrl, service.functionKey, subscriptionId);
  clients.siteRecovery.pipeline.addPolicy(recordAnswers);
  clients.recoveryServices.pipeline.addPolicy(recordAnswers);
  return clients;
}

/** A raw call whose answer is recorded unless `unscanned`. */
async function raw(service: Service, method: string, path: string, options: { query?: string; headers?: Record<string, string>; unscanned?: boolean } = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${service.baseUrl}${path}?${options.query ?? 'api-version=2023-06-01'}`, { method, headers: { 'x-functions-key': service.functionKey, ...options.headers } });
  const text = await response.text();
  if (!options.unscanned) seen.push({ what: `${method} ${path} → ${response.status}`, text: `${JSON.stringify(Object.fromEntries(response.headers))}\n${text}` });
  return { status: response.status, text };
}

async function listAll<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

let service: Service;
let p: ProtectionVault;
let registrationKeyAnswer = '';

beforeAll(async () => {
  service = await startService();
  p = await prepareProtection(service, 5, 0, { clients: (sub) => recordingClients(service, sub) });
  const vaultPath = `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}`;
  const item = 'web-01';
  const vm = await protectNewVm(p, item, [1 * MiB, 1 * MiB]);

  await p.sr.replicationProtectedItems.beginTestFailoverAndWait(
    p.vault, p.rg, p.site, p.container, item,
    { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', networkId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/test-net', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
    FAST,
  );
  await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, item, { properties: { comments: 'drill ok' } }, FAST);

  // A recovery plan whose runbook nobody answers: its test failover's job fails (RunbookTimedOut), then is cleaned up.
  const itemId = `${vaultPath}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${item}`;
  const runbook: RecoveryPlanAction = { actionName: 'unanswered runbook', failoverTypes: ['TestFailover'], failoverDirections: ['PrimaryToRecovery'], customDetails: { instanceType: 'AutomationRunbookActionDetails', runbookId: 'dr-runbook', timeout: 'PT2S', fabricLocation: 'Recovery' } };
  await p.sr.replicationRecoveryPlans.beginCreateAndWait(
    p.vault, p.rg, 'plan',
    { properties: { primaryFabricId: `${vaultPath}/replicationFabrics/${p.site}`, recoveryFabricId: 'Microsoft Azure', groups: [{ groupType: 'Boot', replicationProtectedItems: [{ id: itemId, virtualMachineId: vm.id }], endGroupActions: [runbook] }] } },
    FAST,
  );
  await p.sr.replicationRecoveryPlans.beginTestFailoverAndWait(p.vault, p.rg, 'plan', { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'NoNetworkAttachAsInput' } }, FAST).catch(() => undefined);
  await p.sr.replicationRecoveryPlans.beginTestFailoverCleanupAndWait(p.vault, p.rg, 'plan', { properties: {} }, FAST);

  await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, item, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
  await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, item, FAST);

  // Every job, each read on its own too (errors and tasks), and every event.
  const jobs = await listAll(p.sr.replicationJobs.list(p.vault, p.rg));
  for (const job of jobs) await p.sr.replicationJobs.get(p.vault, p.rg, job.name ?? '');
  await listAll(p.sr.replicationEvents.list(p.vault, p.rg));
  await raw(service, 'GET', `${vaultPath}/replicationEvents`);
  await raw(service, 'GET', `${vaultPath}/replicationJobs`);
  // The key sent as the `code` query parameter, as Functions clients may.
  await raw(service, 'GET', `${vaultPath}/replicationFabrics`, { query: `api-version=2023-06-01&code=${encodeURIComponent(service.functionKey)}`, headers: {} });
  registrationKeyAnswer = (await raw(service, 'POST', `${vaultPath}/listRegistrationKey`, { unscanned: true })).text;
}, 300_000);

afterAll(async () => {
  await service?.stop();
});

test('the lifecycle ran: a job failed with an error, events were listed, the registration key has its own endpoint', async () => {
  const jobs = await listAll(p.sr.replicationJobs.list(p.vault, p.rg));
  const failed = jobs.filter((job) => job.properties?.state === 'Failed');
  expect(failed.length, JSON.stringify(jobs.map((job) => [job.properties?.scenarioName, job.properties?.state]))).toBeGreaterThan(0);
  expect(failed.flatMap((job) => job.properties?.errors ?? []).length).toBeGreaterThan(0);
  expect(registrationKeyAnswer).toContain(p.registrationKey);
  expect(seen.some((answer) => answer.what.includes('/replicationEvents'))).toBe(true);
});

test('no answer and no line the host printed holds a secret', async () => {
  await service.stop();
  const accountKey = /AccountKey=([^;]+)/.exec(service.connectionString)?.[1] ?? AZURITE_KEY;
  const secrets: Array<[string, string]> = [
    ['the storage account key', AZURITE_KEY],
    ['the storage account key, URL-encoded', encodeURIComponent(AZURITE_KEY)],
    ['the storage account key of the connection string', accountKey],
    ['a SAS signature', 'sig='],
    ['a connection string', 'AccountKey='],
    ['a connection string', 'DefaultEndpointsProtocol='],
    ['the registration key', p.registrationKey],
    ['the function key', service.functionKey],
    ['the master key', service.masterKey],
  ];
  const scanned: Seen[] = [...seen, ...service.fullOutput().split('\n').map((line, index) => ({ what: `host output line ${index + 1}`, text: line }))];
  expect(scanned.length).toBeGreaterThan(50);
  const leaks = scanned.flatMap(({ what, text }) =>
    secrets.filter(([, secret]) => text.toLowerCase().includes(secret.toLowerCase())).map(([name]) => `${name} in ${what}: ${text.slice(0, 400)}`),
  );
  expect(leaks).toEqual([]);
});
