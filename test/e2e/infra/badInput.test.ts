import { afterAll, beforeAll, expect, test } from 'vitest';
import { startService, type Service } from '../../support/clients.js';
import { armFetch, prepareVault, vaultPath, type PreparedVault } from './infraFixture.js';

let service: Service;
let p: PreparedVault;
let base: string;
beforeAll(async () => {
  service = await startService();
  p = await prepareVault(service);
  base = vaultPath(p.sub, p.rg, p.vault);
});
afterAll(async () => {
  await service?.stop();
});

/** Everything a bad request could have changed. */
async function snapshot(): Promise<string> {
  const lists = await Promise.all(
    ['replicationFabrics', 'replicationPolicies', 'replicationProtectionContainerMappings', 'replicationJobs'].map((kind) => armFetch(service, 'GET', `${base}/${kind}`)),
  );
  return JSON.stringify(lists.map((list) => list.json.value.map((item: { id: string; properties: unknown }) => [item.id, item.properties])));
}

const policyInput = (fields: Record<string, unknown>) => ({ properties: { providerSpecificInput: { instanceType: 'HyperVReplicaAzure', ...fields } } });

test.each([
  ['wrong instanceType', policyInput({ instanceType: 'A2A' }), 'properties.providerSpecificInput.instanceType', 'HyperVReplicaAzure'],
  ['replication interval 1 s', policyInput({ replicationInterval: 1 }), 'properties.providerSpecificInput.replicationInterval', 'at least 5 seconds'],
  ['replication interval 901 s', policyInput({ replicationInterval: 901 }), 'properties.providerSpecificInput.replicationInterval', 'at most 900 seconds'],
  ['retention 10 000 h', policyInput({ recoveryPointHistoryDuration: 10_000 }), 'properties.providerSpecificInput.recoveryPointHistoryDuration', 'at most 720 hours'],
  ['app-consistent frequency above retention', policyInput({ recoveryPointHistoryDuration: 2, applicationConsistentSnapshotFrequencyInHours: 4 }), 'properties.providerSpecificInput.applicationConsistentSnapshotFrequencyInHours', 'retention'],
  ['app-consistent frequency 13 h', policyInput({ recoveryPointHistoryDuration: 24, applicationConsistentSnapshotFrequencyInHours: 13 }), 'properties.providerSpecificInput.applicationConsistentSnapshotFrequencyInHours', 'at most 12 hours'],
  ['no provider input', { properties: {} }, 'properties.providerSpecificInput', ''],
])('policy with %s gets 400 naming the field and changes nothing', async (_label, body, field, limit) => {
  const before = await snapshot();
  const response = await armFetch(service, 'PUT', `${base}/replicationPolicies/bad`, { body });
  expect(response.status).toBe(400);
  expect(response.json.error.code).toBe('InvalidParameter');
  expect(response.json.error.message).toContain(field);
  expect(response.json.error.message).toContain(limit);
  expect(await snapshot()).toBe(before);
});

test('a fabric with a wrong instanceType gets 400 naming the field', async () => {
  const before = await snapshot();
  const response = await armFetch(service, 'PUT', `${base}/replicationFabrics/bad`, { body: { properties: { customDetails: { instanceType: 'VMwareV2' } } } });
  expect(response.status).toBe(400);
  expect(response.json.error.message).toContain('properties.customDetails');
  expect(await snapshot()).toBe(before);
});

test('malformed JSON gets 400 InvalidRequestContent and changes nothing', async () => {
  const before = await snapshot();
  const response = await armFetch(service, 'PUT', `${base}/replicationPolicies/bad`, { rawBody: '{"properties": {' });
  expect(response.status).toBe(400);
  expect(response.json.error.code).toBe('InvalidRequestContent');
  expect(await snapshot()).toBe(before);
});

test.each([
  ["a quote", "bad'name", 400],
  ['a percent-encoded slash', 'bad%2Fname', 400],
  ['a space', 'bad%20name', 400],
])('a name with %s is rejected and changes nothing', async (_label, name, status) => {
  const before = await snapshot();
  const response = await armFetch(service, 'PUT', `${base}/replicationPolicies/${name}`, { body: policyInput({}) });
  expect(response.status).toBe(status);
  expect(response.json.error.code).toBe('InvalidResourceName');
  expect(response.json.error.target).toBe('policyName');
  expect(await snapshot()).toBe(before);
});

test('a name with a raw slash does not reach any resource', async () => {
  const before = await snapshot();
  const response = await armFetch(service, 'PUT', `${base}/replicationPolicies/bad/name`, { body: policyInput({}) });
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(await snapshot()).toBe(before);
});

test('missing api-version gets 400 MissingApiVersionParameter; unknown gets 400 InvalidApiVersionParameter listing supported ones', async () => {
  const before = await snapshot();
  const missing = await armFetch(service, 'PUT', `${base}/replicationPolicies/p3`, { body: policyInput({}), apiVersion: null });
  expect(missing.status).toBe(400);
  expect(missing.json.error.code).toBe('MissingApiVersionParameter');
  const unknown = await armFetch(service, 'PUT', `${base}/replicationPolicies/p3`, { body: policyInput({}), apiVersion: '1999-01-01' });
  expect(unknown.status).toBe(400);
  expect(unknown.json.error.code).toBe('InvalidApiVersionParameter');
  expect(unknown.json.error.message).toContain('2023-06-01');
  const vaultWithSiteRecoveryVersion = await armFetch(service, 'GET', base, { apiVersion: '1999-01-01' });
  expect(vaultWithSiteRecoveryVersion.json.error.code).toBe('InvalidApiVersionParameter');
  expect(await snapshot()).toBe(before);
});

test('calls without the function key get 401; unknown resources get 404 in the ARM envelope', async () => {
  expect((await armFetch(service, 'GET', `${base}/replicationFabrics`, { key: null })).status).toBe(401);
  const missing = await armFetch(service, 'GET', `${base}/replicationFabrics/nope`);
  expect(missing.status).toBe(404);
  expect(missing.json.error).toMatchObject({ code: 'ResourceNotFound' });
  const otherVault = await armFetch(service, 'GET', `${vaultPath(p.sub, p.rg, 'other')}/replicationFabrics`);
  expect(otherVault.status).toBe(404);
});
