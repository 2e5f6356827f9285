/** Change of recovery point and commit as workflows on stubbed adapters. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyRecoveryPoint, failoverCommit, unplannedFailover } from '../../shared/protection/failoverCommands.js';
import { reversePointsKey } from '../../shared/protection/protectedItemRecord.js';
import { createWorkflowBed, RECOVERY, type WorkflowBed } from './support/workflowBed.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A bed failed over (unplanned) to its latest point, not yet committed. */
async function failedOver(): Promise<{ bed: WorkflowBed; first: string; second: string }> {
  const bed = await createWorkflowBed();
  const first = await bed.addPoint({ time: new Date(Date.now() - 120_000).toISOString() });
  const second = await bed.addPoint({ time: new Date(Date.now() - 60_000).toISOString() });
  await unplannedFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { sourceSiteOperations: 'NotRequired' } } });
  await bed.drain();
  bed.siteCalls.length = 0;
  return { bed, first: first.id, second: second.id };
}

describe('change recovery point workflow', () => {
  it('replaces the failed-over VM by one made from the chosen point, moving the pin', async () => {
    const { bed, first, second } = await failedOver();
    const before = await bed.item();
    expect(before.recoveryVm?.pointId).toBe(second);
    const job = await applyRecoveryPoint({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { recoveryPointId: first } } });
    await bed.drain();

    expect((await bed.job(job.jobId)).state).toBe('Succeeded');
    const item = await bed.item();
    expect(item.state.protectionState).toBe('UnplannedFailoverCompleted');
    expect(item.recoveryVm).toMatchObject({ pointId: first, pinnedBy: job.jobId });
    expect(item.failoverRecoveryPointId).toBe(first);
    expect(bed.siteCalls.map((call) => `${call.op}:${call.vmId === before.recoveryVm?.vmId ? 'old' : 'new'}`)).toEqual(['shutdown:old', 'removeVm:old', 'createVmFromSnapshots:new']);
    expect((await bed.points.get(bed.itemKey, second))?.pinnedBy).toBeUndefined();
    expect((await bed.points.get(bed.itemKey, first))?.pinnedBy).toEqual([job.jobId]);
  });

  it('that keeps failing ends Failed after the last delivery, keeps the failed-over state, and releases the item and its new pin', async () => {
    const { bed, first } = await failedOver();
    bed.recovery.createVmFromSnapshots = () => Promise.reject(new Error('the recovery site is down'));
    const job = await applyRecoveryPoint({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { recoveryPointId: first } } });
    await bed.drain();
    const failed = await bed.job(job.jobId);
    expect(failed.state).toBe('Failed');
    expect(failed.errors.at(-1)?.serviceErrorDetails.code).toBe('JobStepRetriesExhausted');
    expect(bed.poisoned).toHaveLength(1);
    const item = await bed.item();
    expect(item.state.protectionState).toBe('UnplannedFailoverCompleted');
    expect(item.currentScenario).toBeUndefined();
    expect((await bed.points.get(bed.itemKey, first))?.pinnedBy).toBeUndefined();
  });
});

describe('commit workflow', () => {
  it('after failover releases the point and commits; the item may re-protect', async () => {
    const { bed, second } = await failedOver();
    const job = await failoverCommit({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined });
    await bed.drain();
    expect((await bed.job(job.jobId)).state).toBe('Succeeded');
    const item = await bed.item();
    expect(item.state).toMatchObject({ protectionState: 'CommitFailoverCompleted', failoverCommitted: true });
    expect(item.currentScenario).toBeUndefined();
    expect((await bed.points.get(bed.itemKey, second))?.pinnedBy).toBeUndefined();
    expect(bed.recovery.vms.has(item.recoveryVm?.vmId ?? '')).toBe(true);
    expect(bed.replicationSends).toEqual([]);
  });

  it('after failback deletes the VM at the recovery site and resumes protection towards it with a resync', async () => {
    const bed = await createWorkflowBed({ protectionState: 'PlannedFailoverCompleted', replicationDirection: 'RecoveryToPrimary', activeLocation: 'Primary', failoverCommitted: false });
    const point = await bed.addPoint({ key: reversePointsKey(bed.itemKey) });
    const recoveryVm = await bed.recovery.createEmptyVm({ id: '6a1c3f0e-6f0b-4b7c-9a41-2f1e5d3c7b90', name: 'web-01', osType: 'Linux', generation: 2, cpuCount: 2, memoryMB: 2048, powerState: 'Off', disks: [] });
    await bed.points.pin(point.itemKey, point.id, 'failback-job');
    const generation = (await bed.changeItem((item) => ({ ...item, replication: { ...item.replication, active: false }, recoveryVm: { vmId: recoveryVm.id, name: 'web-01', pointId: point.id, pointsKey: point.itemKey, pinnedBy: 'failback-job' } }))).replication.generation;
    bed.siteCalls.length = 0;

    const job = await failoverCommit({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined });
    await bed.drain();

    expect((await bed.job(job.jobId)).state).toBe('Succeeded');
    expect(bed.siteCalls.map((call) => `${call.site}:${call.op}`)).toEqual([`${RECOVERY}:removeVm`]);
    const item = await bed.item();
    expect(item.state).toMatchObject({ protectionState: 'InitialReplicationInProgress', replicationDirection: 'PrimaryToRecovery', failoverCommitted: true });
    expect(item.recoveryVm).toBeUndefined();
    expect(item.replication).toMatchObject({ active: true, pendingResync: true, generation: generation + 1 });
    expect(bed.replicationSends).toEqual([expect.objectContaining({ generation: generation + 1, token: item.replication.token })]);
    expect((await bed.points.get(point.itemKey, point.id))?.pinnedBy).toBeUndefined();
  });
});
