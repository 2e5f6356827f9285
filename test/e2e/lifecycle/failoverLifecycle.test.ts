/**
 * The failover lifecycle through the official client against the local host, with a workload
 * writing throughout, checked byte for byte: test failover and cleanup, planned failover (nothing
 * lost), fencing, writes at the recovery site, re-protect (a delta, not a copy), failback (those
 * writes come home), commit (protection resumes by itself) — and round again with an unplanned
 * failover to a chosen point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecoveryPoint } from '../../../shared/replication/recoveryPoint.js';
import { runWorkload, type Workload } from '../../../shared/site/hyperv/runWorkload.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { startService, type Service } from '../../support/clients.js';
import { FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';
import { itemView, protectNewVm, type ItemView } from './lifecycleFixture.js';

const ITEM = 'web-01';

describe('failover lifecycle', () => {
  let service: Service;
  let p: ProtectionVault;
  let vm: SiteVm;
  let recoverySite: HyperVSite;
  let workload: Workload | undefined;

  let v: ItemView;
  const record = () => v.record();
  const item = () => v.get();
  const diskHashes = (site: HyperVSite, vmId: string) => v.diskHashes(site, vmId);
  const pointHashes = (point: RecoveryPoint) => v.pointHashes(point);
  const rejected = async (call: () => Promise<unknown>): Promise<number | undefined> => {
    try {
      await call();
      return undefined;
    } catch (error) {
      return (error as { statusCode?: number }).statusCode;
    }
  };

  beforeAll(async () => {
    service = await startService();
    p = await prepareProtection(service, 5);
    vm = await protectNewVm(p, ITEM, [4 * MiB, 4 * MiB]);
    v = itemView(p, ITEM, vm);
    recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
    workload = await runWorkload(p.hyperV, vm.id, { writesPerSecond: 20 });
  });

  afterAll(async () => {
    await workload?.stop().catch(() => undefined);
    await service?.stop();
  });

  it('test failover brings up a test VM equal to the chosen point while replication goes on; cleanup removes it', async () => {
    const before = (await record()).replication.lastPointTime!;
    await p.sr.replicationProtectedItems.beginTestFailoverAndWait(
      p.vault, p.rg, p.site, p.container, ITEM,
      { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', networkId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/test-net', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
      FAST,
    );
    const tested = await item();
    expect(tested.properties?.testFailoverState).toBe('WaitingForCompletion');
    expect(tested.properties?.allowedOperations).toEqual(['TestFailoverCleanup']);
    const rec = await record();
    const testVm = await recoverySite.getVm(rec.testVm!.vmId);
    expect(testVm?.powerState).toBe('Running');
    expect(testVm?.network?.networkId).toContain('test-net');
    // Latest: the point was taken after the command, and the test VM's disks equal it byte for byte.
    const point = (await p.services.points.get(p.itemKey(ITEM), rec.testVm!.pointId))!;
    expect(Date.parse(point.time)).toBeGreaterThan(Date.parse(before));
    expect(point.pinnedBy).toContain(rec.testVm!.pinnedBy);
    expect(await diskHashes(recoverySite, rec.testVm!.vmId)).toEqual(await pointHashes(point));
    // Production replication keeps cutting points during the test.
    const later = await (async () => {
      for (let i = 0; i < 40; i++) {
        const t = (await record()).replication.lastPointTime!;
        if (Date.parse(t) > Date.parse(point.time)) return t;
        await new Promise((r) => setTimeout(r, 250));
      }
      return undefined;
    })();
    expect(later).toBeDefined();
    // Invalid orders: a second test failover and a planned failover are refused with 409.
    expect(await rejected(() => p.sr.replicationProtectedItems.beginTestFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery' } }, FAST))).toBe(409);
    expect(await rejected(() => p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery' } }, FAST))).toBe(409);

    await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { comments: 'drill ok' } }, FAST);
    const cleaned = await item();
    expect(cleaned.properties?.testFailoverState).toBe('MarkedForDeletion');
    expect(cleaned.properties?.lastSuccessfulTestFailoverTime).toBeDefined();
    expect(await recoverySite.getVm(rec.testVm!.vmId)).toBeUndefined();
    expect((await p.services.points.get(p.itemKey(ITEM), point.id))?.pinnedBy ?? []).toEqual([]);
    expect(await rejected(() => p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: {} }, FAST))).toBe(409);
  });

  it('refuses re-protect before failover and failback without re-protect', async () => {
    expect(await rejected(() => p.sr.replicationProtectedItems.beginReprotectAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary' } }, FAST))).toBe(409);
    expect(
      await rejected(() =>
        p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback' } } }, FAST),
      ),
    ).toBe(409);
    expect((await item()).properties?.protectionState).toBe('Protected');
  });

  it('planned failover loses nothing, fences the source, and re-protect then failback bring recovery-site writes home', async () => {
    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    const result = await workload!.done;
    expect(result.reason).toBe('shutdown');
    workload = undefined;
    const failedOver = await item();
    expect(failedOver.properties?.activeLocation).toBe('Recovery');
    expect(failedOver.properties?.protectionState).toBe('PlannedFailoverCommitRequired');
    const rec = await record();
    // Zero data loss: the recovery VM's disks equal the source's final state.
    const source = await diskHashes(p.hyperV, vm.id);
    expect(await diskHashes(recoverySite, rec.recoveryVm!.vmId)).toEqual(source);
    // Fencing: the source host can neither start the VM nor write its disks.
    await expect(p.hyperV.start(vm.id)).rejects.toThrow(/fenced/i);
    await expect(p.hyperV.diskBlob(vm.disks[0]!).uploadPages(Buffer.alloc(512, 1), 0, 512)).rejects.toThrow();
    expect(await rejected(() => p.sr.replicationProtectedItems.beginUnplannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery' } }, FAST))).toBe(409);

    // The recovery VM takes writes; re-protect (committing first) sends back only what differs.
    const atRecovery = await runWorkload(recoverySite, rec.recoveryVm!.vmId, { writesPerSecond: 0, maxWrites: 10 });
    await atRecovery.done;
    await p.sr.replicationProtectedItems.beginReprotectAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    const reprotected = await record();
    expect(reprotected.state).toMatchObject({ protectionState: 'Protected', replicationDirection: 'RecoveryToPrimary', failoverCommitted: true });
    const diskBytes = vm.disks.reduce((sum, d) => sum + d.sizeBytes, 0);
    expect(reprotected.replication.lastCycle?.kind).toBe('resync');
    expect(reprotected.replication.lastCycle!.bytesUploaded).toBeLessThanOrEqual(10 * 64 * 1024 * 2);
    expect(reprotected.replication.lastCycle!.bytesUploaded).toBeLessThan(diskBytes / 4);
    expect((await item()).properties?.allowedOperations).toEqual(['PlannedFailover', 'Failback', 'UnplannedFailover', 'DisableProtection', 'RepairReplication']);

    // More writes at the recovery site, then failback: every one of them is at the source.
    const more = await runWorkload(recoverySite, rec.recoveryVm!.vmId, { writesPerSecond: 40 });
    await new Promise((r) => setTimeout(r, 1500));
    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(
      p.vault, p.rg, p.site, p.container, ITEM,
      { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'NoAction' } } },
      FAST,
    );
    expect((await more.done).reason).toBe('shutdown');
    const failedBack = await item();
    expect(failedBack.properties).toMatchObject({ activeLocation: 'Primary', protectionState: 'PlannedFailoverCommitRequired', allowedOperations: ['Commit', 'DisableProtection'] });
    expect(await diskHashes(p.hyperV, vm.id)).toEqual(await diskHashes(recoverySite, rec.recoveryVm!.vmId));
    expect((await p.hyperV.getVm(vm.id))?.powerState).toBe('Running');

    // Commit: the recovery VM goes away and protection resumes towards the recovery site by itself.
    await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    expect(await recoverySite.getVm(rec.recoveryVm!.vmId)).toBeUndefined();
    const resumed = await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected');
    expect(resumed.properties?.allowedOperations).toContain('TestFailover');
    expect((await record()).state.replicationDirection).toBe('PrimaryToRecovery');

    // An ASR script re-protects after the failback's commit: here protection already resumed, so its job succeeds and changes nothing.
    const again = await p.sr.replicationProtectedItems.beginReprotectAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    expect(again.properties).toMatchObject({ protectionState: 'Protected', activeLocation: 'Primary' });
    const reprotectJobs = [];
    for await (const job of p.sr.replicationJobs.list(p.vault, p.rg, { filter: "scenarioName eq 'ReverseReplication'" })) reprotectJobs.push(job);
    expect(reprotectJobs.map((job) => job.properties?.state)).toEqual(['Succeeded', 'Succeeded']);
    expect((await record()).state).toMatchObject({ protectionState: 'Protected', replicationDirection: 'PrimaryToRecovery' });
  });

  it('goes round again: unplanned failover to a chosen point, commit, re-protect, failback, commit', async () => {
    for (let round = 0; round < 2; round++) {
      const writes = await runWorkload(p.hyperV, vm.id, { writesPerSecond: 0, maxWrites: 5 });
      await writes.done;
      // Wait for a point that holds those writes, then choose it explicitly.
      const since = new Date().toISOString();
      for (let i = 0; i < 80 && Date.parse((await record()).replication.lastPointTime!) < Date.parse(since); i++) await new Promise((r) => setTimeout(r, 250));
      const points = [];
      for await (const rp of p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, ITEM)) points.push(rp);
      const chosen = points[1] ?? points[0]!;
      await p.sr.replicationProtectedItems.beginUnplannedFailoverAndWait(
        p.vault, p.rg, p.site, p.container, ITEM,
        { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: chosen.id } } },
        FAST,
      );
      const rec = await record();
      const point = (await p.services.points.get(p.itemKey(ITEM), chosen.name!))!;
      expect(rec.failoverRecoveryPointId).toBe(point.id);
      expect(await diskHashes(recoverySite, rec.recoveryVm!.vmId)).toEqual(await pointHashes(point));
      await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
      await p.hyperV.shutdown(vm.id);
      await p.sr.replicationProtectedItems.beginReprotectAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary' } }, FAST);
      await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback' } } }, FAST);
      expect(await diskHashes(p.hyperV, vm.id)).toEqual(await diskHashes(recoverySite, rec.recoveryVm!.vmId));
      await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
      await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected');
    }
  });
});
