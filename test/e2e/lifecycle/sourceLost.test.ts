/**
 * Disaster proper: the source VM is gone. Unplanned failover needs nothing from the source site
 * and equals the latest point; re-protect recreates the VM at the original site and copies its
 * disks back in full; failback starts it with every write made at the recovery site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { runWorkload } from '../../../shared/site/hyperv/runWorkload.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { all } from '../infra/infraFixture.js';
import { startService } from '../../support/clients.js';
import { FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';
import { itemView, protectNewVm, type ItemView } from './lifecycleFixture.js';

const ITEM = 'lost-01';

describe('failover when the source VM is gone', () => {
  let p: ProtectionVault;
  let vm: SiteVm;
  let v: ItemView;
  let recoverySite: HyperVSite;

  /** Error codes of the newest job of a scenario on the item. */
  const jobWarnings = async (scenarioName: string): Promise<string[]> => {
    const jobs = (await all(p.sr.replicationJobs.list(p.vault, p.rg))).filter((j) => j.properties?.scenarioName === scenarioName && j.properties?.targetObjectName === ITEM);
    const job = jobs.sort((a, b) => (b.properties?.startTime?.getTime() ?? 0) - (a.properties?.startTime?.getTime() ?? 0))[0];
    expect(job?.properties?.state).toBe('Succeeded');
    return (job?.properties?.errors ?? []).map((e) => e.serviceErrorDetails?.code ?? '');
  };

  beforeAll(async () => {
    p = await prepareProtection(await startService(), 5);
    vm = await protectNewVm(p, ITEM, [2 * MiB, 1 * MiB]);
    v = itemView(p, ITEM, vm);
    recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
    await (await runWorkload(p.hyperV, vm.id, { writesPerSecond: 0, maxWrites: 8 })).done;
    await v.pointAfter(new Date().toISOString());
  });

  afterAll(async () => {
    await p?.service.stop();
  });

  it('fails over without the source, then re-protect recreates the VM and failback brings it back whole', async () => {
    await p.hyperV.removeVm(vm.id);
    expect(await p.hyperV.getVm(vm.id)).toBeUndefined();
    const latest = (await v.record()).replication.lastPointId!;

    await p.sr.replicationProtectedItems.beginUnplannedFailoverAndWait(
      p.vault, p.rg, p.site, p.container, ITEM,
      { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
      FAST,
    );
    expect(await jobWarnings('UnplannedFailover')).toContain('SourceVmNotFound');
    const failedOver = await v.record();
    expect(failedOver.state.activeLocation).toBe('Recovery');
    expect(failedOver.failoverRecoveryPointId).toBe(latest);
    expect(await v.diskHashes(recoverySite, failedOver.recoveryVm!.vmId)).toEqual(await v.pointHashes(await v.point(latest)));

    await (await runWorkload(recoverySite, failedOver.recoveryVm!.vmId, { writesPerSecond: 0, maxWrites: 6 })).done;
    await p.sr.replicationProtectedItems.beginReprotectAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary' } }, FAST);
    expect(await jobWarnings('ReverseReplication')).toContain('OriginalVmRecreated');
    const recreated = await p.hyperV.getVm(vm.id);
    expect(recreated).toMatchObject({ powerState: 'Off', fenced: true });
    expect(recreated?.disks.map((d) => d.id)).toEqual(vm.disks.map((d) => d.id));

    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(
      p.vault, p.rg, p.site, p.container, ITEM,
      { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', recoveryVmCreationOption: 'CreateVmIfNotFound' } } },
      FAST,
    );
    expect((await p.hyperV.getVm(vm.id))?.powerState).toBe('Running');
    expect(await v.diskHashes(p.hyperV, vm.id)).toEqual(await v.diskHashes(recoverySite, failedOver.recoveryVm!.vmId));

    await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected' && i.properties?.activeLocation === 'Primary');
    expect(await recoverySite.getVm(failedOver.recoveryVm!.vmId)).toBeUndefined();
  });

  it('fails back to an alternate Hyper-V site when asked, and protection resumes from the VM there', async () => {
    const other = 'hyperv-site-2';
    await p.sr.replicationFabrics.beginCreateAndWait(p.vault, p.rg, other, { properties: { customDetails: { instanceType: 'HyperVSite' } as never } }, FAST);
    const name = 'alt-01';
    const altVm = await protectNewVm(p, name, [2 * MiB]);
    const alt = itemView(p, name, altVm);
    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, name, { properties: { failoverDirection: 'PrimaryToRecovery' } }, FAST);
    const recoveryVmId = (await alt.record()).recoveryVm!.vmId;
    await (await runWorkload(recoverySite, recoveryVmId, { writesPerSecond: 0, maxWrites: 4 })).done;
    await p.sr.replicationProtectedItems.beginReprotectAndWait(p.vault, p.rg, p.site, p.container, name, { properties: { failoverDirection: 'RecoveryToPrimary' } }, FAST);
    const fabricId = (await p.sr.replicationFabrics.get(p.vault, p.rg, other)).id!;
    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(
      p.vault, p.rg, p.site, p.container, name,
      { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', providerIdForAlternateRecovery: fabricId } } },
      FAST,
    );
    const record = await alt.record();
    expect(record.primary?.fabricName).toBe(other);
    const otherSite = p.services.site(p.ref, other);
    expect((await otherSite.getVm(record.primary!.vmId))?.powerState).toBe('Running');
    expect(await alt.diskHashes(otherSite, record.primary!.vmId)).toEqual(await alt.diskHashes(recoverySite, recoveryVmId));

    await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, name, FAST);
    await waitForItem(p, name, (i) => i.properties?.protectionState === 'Protected');
    // Replication now runs from the VM at the alternate site: a write there reaches a new point.
    const since = new Date().toISOString();
    await (await runWorkload(otherSite, record.primary!.vmId, { writesPerSecond: 0, maxWrites: 3 })).done;
    const sinceWrites = new Date().toISOString();
    await alt.pointAfter(sinceWrites);
    const point = await alt.point((await alt.record()).replication.lastPointId!);
    expect(Date.parse(point.time)).toBeGreaterThan(Date.parse(since));
    expect(await alt.pointHashes(point)).toEqual(await alt.diskHashes(otherSite, record.primary!.vmId));
  });

  it('refuses an alternate site that is not a Hyper-V site of the vault', async () => {
    const status = await p.sr.replicationProtectedItems
      .beginPlannedFailoverAndWait(
        p.vault, p.rg, p.site, p.container, ITEM,
        { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', providerIdForAlternateRecovery: p.recovery } } },
        FAST,
      )
      .then(() => 0, (error: { statusCode?: number }) => error.statusCode);
    expect(status).toBe(400);
  });
});
