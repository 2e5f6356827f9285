/**
 * Two hosts on one storage account, as a Function App scaled out to two instances: the lifecycle
 * driven with its requests spread over both reaches the same end state as on one host, and both do
 * the work; a timer fires on one host only, once per tick; two commands racing on one item through
 * different hosts: exactly one is accepted, the other gets 409.
 */
import type { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { createClients, startService, type Service } from '../../support/clients.js';
import { FAST, MiB, prepareProtection, waitForItem, waitForJob, type ProtectionVault } from '../protection/protectionFixture.js';
import { itemView, protectNewVm, type ItemView } from '../lifecycle/lifecycleFixture.js';

const ITEM = 'app-01';
const HEALTH_WATCH_SECONDS = 10;

describe('two hosts on one storage account', () => {
  let a: Service;
  let b: Service;
  let startedAt: number;
  let p: ProtectionVault;
  let v: ItemView;
  let recoverySite: HyperVSite;
  /** The Site Recovery client of each host, in turn. */
  let hosts: SiteRecoveryManagementClient[];

  beforeAll(async () => {
    startedAt = Date.now();
    a = await startService();
    b = await startService({ functionKey: a.functionKey, masterKey: a.masterKey });
    p = await prepareProtection(a, 5);
    hosts = [p.sr, createClients(b.baseUrl, b.functionKey, p.sub).siteRecovery];
    v = itemView(p, ITEM, await protectNewVm(p, ITEM, [2 * MiB, 1 * MiB]));
    recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('two test failovers racing through different hosts: one is accepted, the other gets 409', async () => {
    const input = { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' as const } } };
    const accepted: string[] = [];
    const outcomes = await Promise.allSettled(
      hosts.map((sr) =>
        sr.replicationProtectedItems.beginTestFailover(p.vault, p.rg, p.site, p.container, ITEM, input, {
          ...FAST,
          onResponse: (response) => {
            const status = response.headers.get('azure-asyncoperation');
            if (response.status === 202 && status) accepted.push(new URL(status).pathname.split('/').pop()!);
          },
        }),
      ),
    );
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { statusCode?: number }).statusCode);
    expect(refused).toEqual([409]);
    expect(accepted).toHaveLength(1);
    expect(await waitForJob(p, accepted[0]!)).toBe('Succeeded');
    await hosts[1]!.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { comments: 'race' } }, FAST);
    expect((await v.get()).properties?.testFailoverState).toBe('MarkedForDeletion');
  });

  it('the lifecycle with requests spread over both hosts ends as on one host', async () => {
    const [one, two] = hosts as [SiteRecoveryManagementClient, SiteRecoveryManagementClient];
    const forward = { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' as const } } };
    await two.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, forward, FAST);
    const recoveryVm = (await v.record()).recoveryVm!;
    const source = await v.diskHashes(p.hyperV, v.vm.id);
    expect(await v.diskHashes(recoverySite, recoveryVm.vmId)).toEqual(source);
    await one.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    await two.replicationProtectedItems.beginReprotectAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    expect((await v.record()).state).toMatchObject({ protectionState: 'Protected', replicationDirection: 'RecoveryToPrimary' });
    await one.replicationProtectedItems.beginPlannedFailoverAndWait(
      p.vault, p.rg, p.site, p.container, ITEM,
      { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'NoAction' } } },
      FAST,
    );
    expect(await v.diskHashes(p.hyperV, v.vm.id)).toEqual(source);
    await two.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    const resumed = await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected');
    expect(resumed.properties).toMatchObject({ activeLocation: 'Primary', currentScenario: { scenarioName: 'None' } });
    expect(resumed.properties?.allowedOperations).toEqual(expect.arrayContaining(['TestFailover', 'PlannedFailover', 'DisableProtection']));
    expect((await v.record()).state.replicationDirection).toBe('PrimaryToRecovery');
    expect(await recoverySite.getVm(recoveryVm.vmId)).toBeUndefined();
    // Both instances took job steps and replication cycles off the shared queues.
    for (const host of [a, b]) expect(host.invocations('runJob') + host.invocations('replicateItem'), host.output().slice(-2000)).toBeGreaterThan(0);
  });

  it('a timer fires on one host only, once per tick', () => {
    // Ticks since the first host started (it may fire before the second is up).
    const ticks = Math.floor((Date.now() - startedAt) / 1000 / HEALTH_WATCH_SECONDS);
    const fired = [a.invocations('watchHealth'), b.invocations('watchHealth')];
    expect(fired.filter((n) => n > 0), `watchHealth invocations per host: ${fired.join(', ')}`).toHaveLength(1);
    expect(fired[0]! + fired[1]!).toBeGreaterThanOrEqual(ticks - 1);
    expect(fired[0]! + fired[1]!).toBeLessThanOrEqual(ticks + 1);
  });
});
