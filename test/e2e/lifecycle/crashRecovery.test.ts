/**
 * A crash of the host in the middle of each failover operation, followed by a restart in place,
 * completes the operation with the same result as without the crash: job `Succeeded` with every
 * task done, states, active location, and bytes compared by hash. Test failover, its cleanup,
 * planned failover, re-protect, failback and its commit, each killed as soon as a chosen task has
 * started (see `crashDrill`); unplanned failover, change of point and commit are in
 * `crashRecoveryUnplanned.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../../../shared/replication/chunks.js';
import type { ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import { runWorkload, type Workload } from '../../../shared/site/hyperv/runWorkload.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { MiB, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';
import { drillBed, type DrillBed, type CrashDrill } from './crashDrill.js';
import { diskBlobsOf, type ItemView } from './lifecycleFixture.js';

const ITEM = 'db-01';

describe('crash recovery of the failover lifecycle', () => {
  let bed: DrillBed;
  let p: ProtectionVault;
  let drill: CrashDrill;
  let v: ItemView;
  let recoverySite: HyperVSite;
  let workload: Workload | undefined;

  beforeAll(async () => {
    bed = await drillBed(ITEM, [2 * MiB, 1 * MiB]);
    ({ p, v, drill, recoverySite, workload } = bed);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('test failover: a crash while it creates the test VM; cleanup: a crash while it completes', async () => {
    const commandAt = new Date().toISOString();
    const jobId = await drill.begin((options) =>
      p.sr.replicationProtectedItems.beginTestFailover(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, options),
    );
    await drill.crashAt(jobId, 2);
    await drill.finished(jobId);
    expect((await v.get()).properties?.testFailoverState).toBe('WaitingForCompletion');
    const testVm = (await v.record()).testVm!;
    const point = await v.point(testVm.pointId);
    expect(Date.parse(point.time)).toBeGreaterThanOrEqual(Date.parse(commandAt));
    expect(point.pinnedBy).toContain(testVm.pinnedBy);
    expect((await recoverySite.getVm(testVm.vmId))?.powerState).toBe('Running');
    expect(await v.diskHashes(recoverySite, testVm.vmId)).toEqual(await v.pointHashes(point));
    expect((await recoverySite.listVms()).map((vm) => vm.id)).toEqual([testVm.vmId]);

    const cleanupId = await drill.begin((options) => p.sr.replicationProtectedItems.beginTestFailoverCleanup(p.vault, p.rg, p.site, p.container, ITEM, { properties: { comments: 'after a crash' } }, options));
    await drill.crashAt(cleanupId, 1);
    await drill.finished(cleanupId);
    const cleaned = await v.get();
    expect(cleaned.properties?.testFailoverState).toBe('MarkedForDeletion');
    expect(cleaned.properties?.lastSuccessfulTestFailoverTime).toBeDefined();
    expect(await recoverySite.getVm(testVm.vmId)).toBeUndefined();
    expect(await diskBlobsOf(recoverySite, testVm.vmId)).toEqual([]);
    expect((await v.point(point.id)).pinnedBy ?? []).toEqual([]);
  });

  it('planned failover: a crash while it stops replication and fences the source loses nothing', async () => {
    const jobId = await drill.begin((options) =>
      p.sr.replicationProtectedItems.beginPlannedFailover(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, options),
    );
    await drill.crashAt(jobId, 4);
    await drill.finished(jobId);
    expect((await workload!.done).reason).toBe('shutdown');
    workload = undefined;
    const failedOver = await v.get();
    expect(failedOver.properties?.activeLocation).toBe('Recovery');
    expect(failedOver.properties?.protectionState).toBe('PlannedFailoverCommitRequired');
    const recoveryVm = (await v.record()).recoveryVm!;
    expect((await recoverySite.listVms()).map((vm) => vm.id)).toEqual([recoveryVm.vmId]);
    expect((await recoverySite.getVm(recoveryVm.vmId))?.powerState).toBe('Running');
    expect(await v.diskHashes(recoverySite, recoveryVm.vmId)).toEqual(await v.diskHashes(p.hyperV, v.vm.id));
    await expect(p.hyperV.start(v.vm.id)).rejects.toThrow(/fenced/i);
  });

  it('re-protect: a crash while it starts replication back still sends only what differs', async () => {
    const recoveryVm = (await v.record()).recoveryVm!;
    const writes = await (await runWorkload(recoverySite, recoveryVm.vmId, { writesPerSecond: 0, maxWrites: 5 })).done;
    const jobId = await drill.begin((options) =>
      p.sr.replicationProtectedItems.beginReprotect(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, options),
    );
    await drill.crashAt(jobId, 2);
    // The resync back is the first reverse cycle; note it before the next (delta) cycle follows.
    let resync: ProtectedItemRecord['replication']['lastCycle'];
    const noting = (async () => {
      while (['NotStarted', 'InProgress'].includes((await drill.job(jobId)).state)) {
        const cycle = (await v.record()).replication.lastCycle;
        if (cycle?.kind === 'resync') resync = cycle;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await drill.finished(jobId);
    await noting;
    const record = await v.record();
    expect(record.state).toMatchObject({ protectionState: 'Protected', replicationDirection: 'RecoveryToPrimary', failoverCommitted: true });
    // It uploaded only the chunks those writes touched (each 64 KiB write spans at most two chunks).
    expect(resync?.kind).toBe('resync');
    expect(resync!.bytesUploaded).toBeLessThanOrEqual(writes.writes * 2 * CHUNK_SIZE);
    expect(resync!.bytesUploaded).toBeLessThan(v.vm.disks.reduce((sum, d) => sum + d.sizeBytes, 0) / 4);
    expect(await v.diskHashes(p.hyperV, v.vm.id)).toEqual(await v.diskHashes(recoverySite, recoveryVm.vmId));
    expect((await v.get()).properties?.allowedOperations).toContain('Failback');
  });

  it('failback: a crash while it starts the VM at the primary site brings every recovery-site write home; commit, crashed too, resumes protection', async () => {
    const recoveryVm = (await v.record()).recoveryVm!;
    const writes = await runWorkload(recoverySite, recoveryVm.vmId, { writesPerSecond: 40 });
    await new Promise((r) => setTimeout(r, 1000));
    const jobId = await drill.begin((options) =>
      p.sr.replicationProtectedItems.beginPlannedFailover(
        p.vault, p.rg, p.site, p.container, ITEM,
        { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'NoAction' } } },
        options,
      ),
    );
    await drill.crashAt(jobId, 5);
    await drill.finished(jobId);
    expect((await writes.done).reason).toBe('shutdown');
    expect((await v.get()).properties?.activeLocation).toBe('Primary');
    expect(await v.diskHashes(p.hyperV, v.vm.id)).toEqual(await v.diskHashes(recoverySite, recoveryVm.vmId));
    expect((await p.hyperV.getVm(v.vm.id))?.powerState).toBe('Running');

    const commitId = await drill.begin((options) => p.sr.replicationProtectedItems.beginFailoverCommit(p.vault, p.rg, p.site, p.container, ITEM, options));
    await drill.crashAt(commitId, 1);
    await drill.finished(commitId);
    expect(await recoverySite.getVm(recoveryVm.vmId)).toBeUndefined();
    expect(await diskBlobsOf(recoverySite, recoveryVm.vmId)).toEqual([]);
    await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected');
    expect((await v.record()).state.replicationDirection).toBe('PrimaryToRecovery');
  });
});
