/**
 * A crash drill inside a plan failover: the host is killed while group 2 of an unplanned failover
 * runs, restarted in place, and the plan job completes: every VM once at the recovery site, on its
 * point's bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteVm } from '../../../shared/site/types.js';
import { vaultPath } from '../infra/infraFixture.js';
import { crashDrill, startDrillService } from '../lifecycle/crashDrill.js';
import { itemView, protectNewVm } from '../lifecycle/lifecycleFixture.js';
import { FAST, MiB, prepareProtection, type ProtectionVault } from '../protection/protectionFixture.js';

describe('crash recovery inside a recovery plan', () => {
  let p: ProtectionVault;
  const vms = new Map<string, SiteVm>();

  beforeAll(async () => {
    p = await prepareProtection(await startDrillService(), 5);
    for (const name of ['front', 'back-1', 'back-2']) vms.set(name, await protectNewVm(p, name, [1 * MiB]));
  });

  afterAll(async () => {
    await p?.service.stop();
  });

  it('unplanned failover: a crash while group 2 runs still brings every VM up once, on its point', async () => {
    const itemId = (name: string) => `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${name}`;
    const boot = (names: string[]) => ({ groupType: 'Boot' as const, replicationProtectedItems: names.map((name) => ({ id: itemId(name) })) });
    await p.sr.replicationRecoveryPlans.beginCreateAndWait(p.vault, p.rg, 'tiers', { properties: { primaryFabricId: `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}`, recoveryFabricId: 'Microsoft Azure', groups: [boot(['front']), boot(['back-1', 'back-2'])] } }, FAST);
    const drill = crashDrill(p, 'front');
    const jobId = await drill.begin((options) =>
      p.sr.replicationRecoveryPlans.beginUnplannedFailover(p.vault, p.rg, 'tiers', { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure', recoveryPointType: 'LatestProcessed' }] } }, options),
    );
    await drill.crashWhen(jobId, (job) => job.tasks[3]?.state === 'InProgress');
    await drill.finished(jobId);
    const recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
    expect((await recoverySite.listVms()).map((vm) => vm.name).sort()).toEqual(['back-1', 'back-2', 'front']);
    for (const [name, vm] of vms) {
      const view = itemView(p, name, vm);
      const record = await view.record();
      expect(record.state.protectionState).toBe('UnplannedFailoverCompleted');
      expect(await view.diskHashes(recoverySite, record.recoveryVm!.vmId)).toEqual(await view.pointHashes(await view.point(record.recoveryVm!.pointId)));
    }
  });
});
