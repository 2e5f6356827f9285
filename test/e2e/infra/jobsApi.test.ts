import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createControlPlane } from '../../../shared/jobs/controlPlane.js';
import { createJsonQueues } from '../../../shared/storage/jsonQueues.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { newJob } from '../../../shared/jobs/jobModel.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { startService, type Service } from '../../support/clients.js';
import { FAST, all, armFetch, prepareVault, vaultPath, type PreparedVault } from './infraFixture.js';

let service: Service;
let p: PreparedVault;
beforeAll(async () => {
  service = await startService();
  p = await prepareVault(service);
});
afterAll(async () => {
  await service?.stop();
});

test('every infrastructure operation is a job; list, filter and get them', async () => {
  const jobs = await all(p.sr.replicationJobs.list(p.vault, p.rg));
  expect(jobs.map((job) => job.properties?.scenarioName).sort()).toEqual(['AddProtectionProfile', 'AssociateProtectionProfile', 'CreateSite', 'CreateSite']);
  for (const job of jobs) {
    expect(job.properties).toMatchObject({ state: 'Succeeded', customDetails: { instanceType: 'AsrJobDetails' }, allowedActions: [] });
    expect(job.properties?.tasks?.[0]?.state).toBe('Succeeded');
    expect(job.properties?.endTime).toBeInstanceOf(Date);
  }
  const fabricJobs = await all(p.sr.replicationJobs.list(p.vault, p.rg, { filter: "scenarioName eq 'CreateSite' and state eq 'Succeeded'" }));
  expect(fabricJobs.map((job) => job.properties?.targetObjectName).sort()).toEqual([p.site, p.recovery]);
  const siteId = `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}`;
  const bySite = await all(p.sr.replicationJobs.list(p.vault, p.rg, { filter: `fabricId eq '${siteId}'` }));
  expect(bySite.map((job) => job.properties?.scenarioName).sort()).toEqual(['AssociateProtectionProfile', 'CreateSite']);
  const future = new Date(Date.now() + 3_600_000).toISOString();
  expect(await all(p.sr.replicationJobs.list(p.vault, p.rg, { filter: `startTime eq '${future}'` }))).toHaveLength(0);
  expect(await all(p.sr.replicationJobs.list(p.vault, p.rg, { filter: "state eq 'Failed'" }))).toHaveLength(0);

  const one = jobs[0]!;
  const got = await p.sr.replicationJobs.get(p.vault, p.rg, one.name!);
  expect(got).toMatchObject({ id: one.id, name: one.name, type: 'Microsoft.RecoveryServices/vaults/replicationJobs' });
  await expect(p.sr.replicationJobs.get(p.vault, p.rg, 'no-such-job')).rejects.toMatchObject({ statusCode: 404 });
});

test('an unsupported $filter is a 400 and never reaches storage', async () => {
  const base = vaultPath(p.sub, p.rg, p.vault);
  for (const filter of ["PartitionKey eq 'x'", "state eq 'x' or 1 eq 1", "startTime eq 'yesterday'", "state eq 'a''"]) {
    const url = `${base}/replicationJobs?$filter=${encodeURIComponent(filter)}`;
    const response = await armFetch(service, 'GET', url);
    expect(response.status, filter).toBe(400);
    expect(response.json.error.code).toBe('InvalidFilter');
  }
});

test('actions the job state does not allow get 409 naming the state', async () => {
  const [job] = await all(p.sr.replicationJobs.list(p.vault, p.rg));
  await expect(p.sr.replicationJobs.beginCancelAndWait(p.vault, p.rg, job!.name!, FAST)).rejects.toMatchObject({ statusCode: 409, code: 'JobActionNotAllowed' });
  await expect(p.sr.replicationJobs.beginRestartAndWait(p.vault, p.rg, job!.name!, FAST)).rejects.toMatchObject({
    statusCode: 409,
    message: expect.stringContaining('Succeeded'),
  });
  await expect(p.sr.replicationJobs.beginResumeAndWait(p.vault, p.rg, job!.name!, { properties: { comments: 'go' } }, FAST)).rejects.toMatchObject({ statusCode: 409 });
});

test('long lists are paged with nextLink and $skiptoken, and the client follows them', async () => {
  const clients = createStorageClients(service.connectionString);
  const plane = createControlPlane(clients, 'controlplane', createJsonQueues(clients.queues));
  const vault = { subscriptionId: p.sub, resourceGroupName: p.rg, vaultName: p.vault };
  const extra = Array.from({ length: 120 }, (_, index) =>
    newJob({ kind: 'none', vault, scenarioName: 'Bulk', friendlyName: `bulk ${index}`, targetObjectId: 'x', targetObjectName: 'x', targetInstanceType: 'Test', resultPath: '/' }),
  );
  for (let i = 0; i < extra.length; i += 50) {
    await plane.repository.transact(vaultPartition(vault), extra.slice(i, i + 50).map((job) => plane.jobs.createAction(job)));
  }
  const first = await armFetch(service, 'GET', `${vaultPath(p.sub, p.rg, p.vault)}/replicationJobs`);
  expect(first.json.value).toHaveLength(100);
  const next = new URL(first.json.nextLink);
  expect(next.origin).toBe(new URL(service.baseUrl).origin);
  expect(next.searchParams.get('$skiptoken')).toBeTruthy();
  const all120 = await all(p.sr.replicationJobs.list(p.vault, p.rg, { filter: "scenarioName eq 'Bulk'" }));
  expect(all120.map((job) => job.name).sort()).toEqual(extra.map((job) => job.jobId).sort());
});

test("every answer carries ARM's request and correlation ids; a job records the correlation id of the request that started it", async () => {
  const base = vaultPath(p.sub, p.rg, p.vault);
  const correlationId = randomUUID();
  const put = await armFetch(service, 'PUT', `${base}/replicationPolicies/traced`, {
    body: { properties: { providerSpecificInput: { instanceType: 'HyperVReplicaAzure', replicationInterval: 300, recoveryPointHistoryDuration: 24, applicationConsistentSnapshotFrequencyInHours: 0 } } },
    headers: { 'x-ms-correlation-request-id': correlationId },
  });
  expect(put.status).toBe(202);
  expect(put.headers.get('x-ms-correlation-request-id')).toBe(correlationId);
  expect(put.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const jobId = new URL(put.headers.get('azure-asyncoperation')!).pathname.split('/').pop()!;
  expect((await p.sr.replicationJobs.get(p.vault, p.rg, jobId)).properties?.activityId).toBe(correlationId);

  const missing = await armFetch(service, 'GET', `${base}/replicationPolicies/no-such-policy`);
  expect(missing.status).toBe(404);
  const [first, second] = [missing.headers.get('x-ms-request-id'), (await armFetch(service, 'GET', `${base}/replicationPolicies/no-such-policy`)).headers.get('x-ms-request-id')];
  expect(first).toMatch(/^[0-9a-f-]{36}$/);
  expect(second).not.toBe(first);
  expect(missing.headers.get('x-ms-correlation-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});
