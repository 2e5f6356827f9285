/**
 * A retried request (the same `x-ms-client-request-id`) gets the job the first request started, for
 * every command on a protected item, through the host: the lifecycle is driven by raw requests, each
 * sent twice.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteVm } from '../../../shared/site/types.js';
import { startService, type Service } from '../../support/clients.js';
import { all, armFetch, vaultPath } from '../infra/infraFixture.js';
import { itemView, protectNewVm } from '../lifecycle/lifecycleFixture.js';
import { MiB, prepareProtection, waitForItem, waitForJob, type ProtectionVault } from './protectionFixture.js';

const ITEM = 'retry-01';

describe('retried item commands', () => {
  let service: Service;
  let p: ProtectionVault;
  let vm: SiteVm;
  const jobs = new Map<string, string>();

  beforeAll(async () => {
    service = await startService();
    p = await prepareProtection(service, 5);
    vm = await protectNewVm(p, ITEM, [MiB]);
  });

  afterAll(async () => {
    await service?.stop();
  });

  /** Sends the command twice with one client request id; both answers name the same job, which then succeeds. */
  async function twice(operation: string, body?: unknown): Promise<string> {
    const path = `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${ITEM}/${operation}`;
    const headers = { 'x-ms-client-request-id': randomUUID() };
    const first = await armFetch(service, 'POST', path, { body, headers });
    const again = await armFetch(service, 'POST', path, { body, headers });
    expect([operation, first.status, again.status]).toEqual([operation, 202, 202]);
    const jobOf = (response: typeof first): string => new URL(response.headers.get('azure-asyncoperation') ?? '').pathname.split('/').pop() ?? '';
    expect(jobOf(again)).toBe(jobOf(first));
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await waitForJob(p, jobOf(first), 90_000)).toBe('Succeeded');
    jobs.set(operation, jobOf(first));
    return jobOf(first);
  }

  it('gets one job per command, for every item command', async () => {
    const view = itemView(p, ITEM, vm);
    await twice('repairReplication');
    await twice('testFailover', { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'LatestProcessed' } } });
    await twice('testFailoverCleanup', { properties: { comments: 'retried' } });
    await twice('unplannedFailover', { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } });
    await twice('applyRecoveryPoint', { properties: { recoveryPointId: 'LatestProcessed', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } });
    await twice('failoverCommit');
    await twice('reProtect', { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } });
    await waitForItem(p, ITEM, (item) => item.properties?.protectionState === 'Protected');
    await twice('plannedFailover', { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'CreateVmIfNotFound' } } });
    jobs.set('failback', jobs.get('plannedFailover') ?? '');
    await twice('failoverCommit');
    expect((await view.record()).state.replicationDirection).toBe('PrimaryToRecovery');
    await twice('remove', { properties: { disableProtectionReason: 'NotSpecified' } });

    // Exactly one job was recorded for each command sent twice.
    const recorded = await all(p.sr.replicationJobs.list(p.vault, p.rg));
    for (const jobId of new Set(jobs.values())) expect(recorded.filter((job) => job.name === jobId)).toHaveLength(1);
    const commandJobs = recorded.filter((job) => ['RepairVMReplication', 'TestFailover', 'TestFailoverCleanup', 'UnplannedFailover', 'ChangePit', 'CommitFailover', 'ReverseReplication', 'PlannedFailover', 'DisableDr'].includes(job.properties?.scenarioName ?? ''));
    expect(commandJobs.map((job) => job.properties?.scenarioName).sort()).toEqual(
      ['ChangePit', 'CommitFailover', 'CommitFailover', 'DisableDr', 'PlannedFailover', 'RepairVMReplication', 'ReverseReplication', 'TestFailover', 'TestFailoverCleanup', 'UnplannedFailover'].sort(),
    );
  });
});
