/** Planned and unplanned failover, and failback, as workflows on stubbed adapters. */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PermanentError } from '../../shared/errors/PermanentError.js';
import { plannedFailover, unplannedFailover } from '../../shared/protection/failoverCommands.js';
import { reversePointsKey } from '../../shared/protection/protectedItemRecord.js';
import { ALTERNATE, createWorkflowBed, RECOVERY, SOURCE } from './support/workflowBed.js';

afterEach(() => {
  vi.useRealTimers();
});

const ops = (calls: ReadonlyArray<{ site: string; op: string }>): string[] => calls.map((call) => `${call.site}:${call.op}`);

describe('failover workflow', () => {
  it('planned: shuts the source down, syncs the final changes, stops replication, fences the source and brings the VM up at the recovery site', async () => {
    const bed = await createWorkflowBed();
    await bed.addPoint({ time: new Date(Date.now() - 60_000).toISOString() });
    const job = await plannedFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } } });
    await bed.drain();

    const done = await bed.job(job.jobId);
    expect(done.state).toBe('Succeeded');
    expect(done.tasks.every((task) => task.state === 'Succeeded')).toBe(true);
    expect(done.errors.map((error) => [error.errorLevel, error.serviceErrorDetails.code])).toEqual([['Warning', 'TestFailoverNotDoneRecently']]);
    expect(ops(bed.siteCalls)).toEqual([`${SOURCE}:shutdown`, `${SOURCE}:fence`, `${RECOVERY}:createVmFromSnapshots`]);
    const [final] = bed.points.all(bed.itemKey);
    const item = await bed.item();
    expect(item.state).toMatchObject({ protectionState: 'PlannedFailoverCompleted', activeLocation: 'Recovery', failoverCommitted: false });
    expect(item.replication.active).toBe(false);
    expect(item.recoveryVm).toMatchObject({ pointId: final?.id, pinnedBy: job.jobId, name: 'web-01' });
    expect(item.failoverRecoveryPointId).toBe(final?.id);
    expect(item.currentScenario).toBeUndefined();
    expect(bed.source.vms.get(bed.vm.id)).toMatchObject({ powerState: 'Off', fenced: true });
    expect(bed.recovery.vms.get(item.recoveryVm?.vmId ?? '')?.powerState).toBe('Running');
  });

  it('unplanned without the source: no shutdown, the latest processed point, and a warning that there was nothing to fence', async () => {
    const bed = await createWorkflowBed();
    const point = await bed.addPoint();
    bed.source.vms.clear();
    const job = await unplannedFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired' } } });
    await bed.drain();

    const done = await bed.job(job.jobId);
    expect(done.state).toBe('Succeeded');
    expect(done.errors.map((error) => error.serviceErrorDetails.code)).toEqual(['TestFailoverNotDoneRecently', 'SourceVmNotFound']);
    expect(bed.replicationSends).toEqual([]);
    expect(ops(bed.siteCalls)).toEqual([`${RECOVERY}:createVmFromSnapshots`]);
    const item = await bed.item();
    expect(item.state.protectionState).toBe('UnplannedFailoverCompleted');
    expect(item.recoveryVm?.pointId).toBe(point.id);
  });

  it('a failed failover reports it, releases the point it pinned and the item, and allows a retry', async () => {
    const bed = await createWorkflowBed();
    const point = await bed.addPoint();
    bed.recovery.createVmFromSnapshots = () => Promise.reject(new PermanentError('The recovery site refused the VM.', { code: 'RecoverySiteFull' }));
    const job = await unplannedFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { sourceSiteOperations: 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'LatestProcessed' } } } });
    await bed.drain();

    const failed = await bed.job(job.jobId);
    expect(failed.state).toBe('Failed');
    expect(failed.errors.at(-1)?.serviceErrorDetails.code).toBe('RecoverySiteFull');
    const item = await bed.item();
    expect(item.state.protectionState).toBe('UnplannedFailoverFailed');
    expect(item.currentScenario).toBeUndefined();
    expect((await bed.points.get(bed.itemKey, point.id))?.pinnedBy).toBeUndefined();
  });

  it('failback (planned, recovery to primary): the recovery VM shut down, the original disks restored to the final reverse point, the original VM unfenced and started', async () => {
    const bed = await createWorkflowBed({ replicationDirection: 'RecoveryToPrimary', activeLocation: 'Recovery', failoverCommitted: true });
    await bed.source.fence(bed.vm.id);
    await bed.source.shutdown(bed.vm.id);
    const recoveryVm = await bed.recovery.createEmptyVm({ id: randomUUID(), name: 'web-01', osType: 'Linux', generation: 2, cpuCount: 2, memoryMB: 2048, powerState: 'Running', disks: [] });
    await bed.changeItem((item) => ({ ...item, recoveryVm: { vmId: recoveryVm.id, name: 'web-01', pointId: 'p', pointsKey: bed.itemKey, pinnedBy: 'earlier' } }));
    const reverseKey = reversePointsKey(bed.itemKey);
    await bed.addPoint({ key: reverseKey, time: new Date(Date.now() - 60_000).toISOString() });
    bed.siteCalls.length = 0;

    const job = await plannedFailover({
      deps: bed.deps,
      vault: bed.vault,
      route: bed.route,
      body: { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'CreateVmIfNotFound' } } },
    });
    await bed.drain();

    const done = await bed.job(job.jobId);
    expect(done.state).toBe('Succeeded');
    expect(done.errors).toEqual([]);
    const [final] = bed.points.all(reverseKey);
    expect(ops(bed.siteCalls)).toEqual([`${RECOVERY}:shutdown`, ...bed.vm.disks.map(() => `${SOURCE}:restoreSnapshot`), `${SOURCE}:unfence`, `${SOURCE}:start`]);
    expect(bed.siteCalls.find((call) => call.op === 'unfence')?.detail).toEqual({ historySeq: final?.seq });
    expect(bed.siteCalls.filter((call) => call.op === 'restoreSnapshot').map((call) => call.detail)).toEqual(
      final?.disks.map((disk) => ({ name: disk.replicaBlob, snapshot: disk.snapshot, marker: final.id, leaseId: `fence-${bed.vm.id}` })),
    );
    const item = await bed.item();
    expect(item.state).toMatchObject({ protectionState: 'PlannedFailoverCompleted', activeLocation: 'Primary' });
    expect(bed.source.vms.get(bed.vm.id)).toMatchObject({ powerState: 'Running', fenced: false });
    expect(done.friendlyName).toBe('Failback');
  });

  it('failback to an alternate Hyper-V site creates the VM there; the item then lives there', async () => {
    const bed = await createWorkflowBed({ replicationDirection: 'RecoveryToPrimary', activeLocation: 'Recovery', failoverCommitted: true });
    const recoveryVm = await bed.recovery.createEmptyVm({ id: randomUUID(), name: 'web-01', osType: 'Linux', generation: 2, cpuCount: 2, memoryMB: 2048, powerState: 'Running', disks: [] });
    await bed.changeItem((item) => ({ ...item, recoveryVm: { vmId: recoveryVm.id, name: 'web-01', pointId: 'p', pointsKey: bed.itemKey, pinnedBy: 'earlier' } }));
    await bed.addPoint({ key: reversePointsKey(bed.itemKey) });
    bed.siteCalls.length = 0;

    const job = await plannedFailover({
      deps: bed.deps,
      vault: bed.vault,
      route: bed.route,
      body: { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', providerIdForAlternateRecovery: ALTERNATE } } },
    });
    await bed.drain();

    expect((await bed.job(job.jobId)).state).toBe('Succeeded');
    expect(ops(bed.siteCalls)).toEqual([`${RECOVERY}:shutdown`, `${ALTERNATE}:createVmFromSnapshots`]);
    const item = await bed.item();
    const created = [...bed.alternate.vms.values()][0];
    expect(item.primary).toMatchObject({ fabricName: ALTERNATE, vmId: created?.id });
    expect(item.primary?.disks.map((disk) => disk.diskId)).toEqual(bed.vm.disks.map((disk) => disk.id));
  });
});
