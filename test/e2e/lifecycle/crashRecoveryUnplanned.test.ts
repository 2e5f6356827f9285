/**
 * A crash of the host in the middle of an unplanned failover (source required), of a change of
 * recovery point and of the commit, followed by a restart in place, completes each with the same
 * result as without the crash: nothing lost, the recovery VM on the chosen point, the previous VM
 * and its disks gone (see `crashDrill`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workload } from '../../../shared/site/hyperv/runWorkload.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { all } from '../infra/infraFixture.js';
import { MiB, type ProtectionVault } from '../protection/protectionFixture.js';
import { drillBed, type DrillBed, executing, type CrashDrill } from './crashDrill.js';
import { diskBlobsOf, type ItemView } from './lifecycleFixture.js';

const ITEM = 'app-01';

describe('crash recovery of unplanned failover', () => {
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

  it('unplanned failover with the source required: crashes during the final sync and while it starts the recovery VM lose nothing', async () => {
    const jobId = await drill.begin((options) =>
      p.sr.replicationProtectedItems.beginUnplannedFailover(
        p.vault, p.rg, p.site, p.container, ITEM,
        { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'Required', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
        options,
      ),
    );
    // Inside a replication step of the final sync if one is caught executing, else as the point is locked.
    await drill.crashWhen(jobId, (j) => (j.tasks[2]!.state === 'InProgress' && executing(p.service.output(), 'replicateItem')) || j.tasks[3]!.state !== 'NotStarted');
    await drill.crashAt(jobId, 5);
    const done = await drill.finished(jobId);
    // Never drilled: the job says so once, as a warning.
    expect(done.errors.map((e) => [e.errorLevel, e.serviceErrorDetails.code])).toEqual([['Warning', 'TestFailoverNotDoneRecently']]);
    expect((await workload!.done).reason).toBe('shutdown');
    workload = undefined;
    const failedOver = await v.get();
    expect(failedOver.properties?.activeLocation).toBe('Recovery');
    expect(failedOver.properties?.protectionState).toBe('UnplannedFailoverCommitPendingStatesBegin');
    const recoveryVm = (await v.record()).recoveryVm!;
    expect((await recoverySite.listVms()).map((vm) => vm.id)).toEqual([recoveryVm.vmId]);
    expect(await v.diskHashes(recoverySite, recoveryVm.vmId)).toEqual(await v.diskHashes(p.hyperV, v.vm.id));
    await expect(p.hyperV.start(v.vm.id)).rejects.toThrow(/fenced/i);
  });

  it('a change of recovery point and the commit, each crashed, leave one VM on the chosen point', async () => {
    const first = (await v.record()).recoveryVm!;
    const older = (await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, ITEM)))[1]!;
    const changeId = await drill.begin((options) =>
      p.sr.replicationProtectedItems.beginApplyRecoveryPoint(p.vault, p.rg, p.site, p.container, ITEM, { properties: { recoveryPointId: older.id, providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, options),
    );
    await drill.crashAt(changeId, 2);
    await drill.finished(changeId);
    const moved = (await v.record()).recoveryVm!;
    const point = await v.point(older.name!);
    expect(moved.pointId).toBe(point.id);
    expect((await v.get()).properties?.protectionState).toBe('UnplannedFailoverCommitPendingStatesBegin');
    expect((await recoverySite.getVm(moved.vmId))?.powerState).toBe('Running');
    expect(await v.diskHashes(recoverySite, moved.vmId)).toEqual(await v.pointHashes(point));
    expect((await recoverySite.listVms()).map((vm) => vm.id)).toEqual([moved.vmId]);
    expect(await diskBlobsOf(recoverySite, first.vmId)).toEqual([]);

    const commitId = await drill.begin((options) => p.sr.replicationProtectedItems.beginFailoverCommit(p.vault, p.rg, p.site, p.container, ITEM, options));
    await drill.crashAt(commitId, 1);
    await drill.finished(commitId);
    const committed = await v.get();
    expect(committed.properties?.allowedOperations).toContain('ReverseReplicate');
    expect((await v.record()).state.failoverCommitted).toBe(true);
    expect((await v.point(point.id)).pinnedBy ?? []).toEqual([]);
    expect((await recoverySite.listVms()).map((vm) => vm.id)).toEqual([moved.vmId]);
  });
});
