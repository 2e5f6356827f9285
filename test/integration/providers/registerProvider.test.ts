/**
 * Provider registration on Azurite, with several control planes on one table as the app's
 * instances would be: of a host's racing first reports exactly one registers it (one provider row,
 * one RegisterDra job, one job message); a report while its provider is being removed is refused;
 * after the removal the host registers anew.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import type { VaultRef } from '../../../shared/arm/resourceId.js';
import type { FabricRecord } from '../../../shared/infra/fabrics.js';
import { ROW } from '../../../shared/infra/rowKinds.js';
import type { SiteHostRecord } from '../../../shared/infra/siteInventory.js';
import type { ControlPlane } from '../../../shared/jobs/controlPlane.js';
import type { JobStepMessage } from '../../../shared/jobs/jobQueue.js';
import { createJobStore, JOB_ROW } from '../../../shared/jobs/jobStore.js';
import type { Job } from '../../../shared/jobs/jobModel.js';
import type { ProviderRecord } from '../../../shared/providers/providerRecord.js';
import { recordHostReport } from '../../../shared/providers/registerProvider.js';
import { createControlPlaneRepository } from '../../../shared/repos/ControlPlaneRepository.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

const fabric: FabricRecord = { name: 'site', instanceType: 'HyperVSite', internalIdentifier: '6d224fc6-f326-5d35-96de-fbf51efb3179', createdAt: '2026-01-01T00:00:00Z', provisioningState: 'Succeeded' };
const sent: JobStepMessage[] = [];
let planes: Array<Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>>;

beforeAll(() => {
  const clients = createStorageClients(testStorage());
  const table = `t${randomUUID().replaceAll('-', '')}`;
  // Three instances of the app: each its own repository over the one table.
  planes = [1, 2, 3].map(() => {
    const repository = createControlPlaneRepository(clients.table(table));
    return { repository, jobs: createJobStore(repository), jobQueue: { enqueue: (message: JobStepMessage) => Promise.resolve(void sent.push(message)) } };
  });
});

const newVault = (): VaultRef => ({ subscriptionId: randomUUID(), resourceGroupName: 'rg', vaultName: 'v' });
const hostRecord = (hostName: string) => (providerName: string): SiteHostRecord => ({ fabricName: fabric.name, hostName, reportedAt: new Date().toISOString(), vms: [], providerName });

async function rowsOf<T>(vault: VaultRef, kind: string): Promise<T[]> {
  const rows: T[] = [];
  for await (const row of planes[0]!.repository.listAll<T>(vaultPartition(vault), kind)) rows.push(row.value);
  return rows;
}

test.each([1, 2, 3])('round %i: of eight racing first reports from three instances, exactly one registers the host', async () => {
  const vault = newVault();
  const before = sent.length;
  const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => recordHostReport(planes[i % planes.length]!, vault, fabric, 'hv-01', hostRecord('hv-01'))));
  expect(outcomes.filter((outcome) => outcome.registration)).toHaveLength(1);
  expect(new Set(outcomes.map((outcome) => outcome.provider.name)).size).toBe(1);
  const [provider] = await rowsOf<ProviderRecord>(vault, ROW.provider);
  expect(await rowsOf(vault, ROW.provider)).toHaveLength(1);
  const jobs = await rowsOf<Job>(vault, JOB_ROW);
  expect(jobs.map((job) => [job.scenarioName, job.friendlyName, job.targetObjectName, job.targetInstanceType])).toEqual([['RegisterDra', 'Register the Azure Site Recovery Provider', 'hv-01', 'Server']]);
  expect(sent.length - before).toBe(1);
  const [report] = await rowsOf<SiteHostRecord>(vault, ROW.siteHost);
  expect(report?.providerName).toBe(provider?.name);
});

test('a report while its provider is being removed is refused; once removed the host registers anew', async () => {
  const vault = newVault();
  const partition = vaultPartition(vault);
  const first = await recordHostReport(planes[0]!, vault, fabric, 'hv-02', hostRecord('hv-02'));
  const row = await planes[0]!.repository.get<ProviderRecord>(partition, ROW.provider, [fabric.name, 'hv-02']);
  await planes[0]!.repository.replace(row!, { ...row!.value, provisioningState: 'Deleting' });
  await expect(recordHostReport(planes[1]!, vault, fabric, 'hv-02', hostRecord('hv-02'))).rejects.toMatchObject({ status: 409, code: 'ProviderBeingRemoved' });
  await planes[0]!.repository.delete(partition, ROW.provider, [fabric.name, 'hv-02']);
  const again = await recordHostReport(planes[2]!, vault, fabric, 'hv-02', hostRecord('hv-02'));
  expect(again.registration).toBeDefined();
  expect(again.provider.name).not.toBe(first.provider.name);
});
