/** Cancel failover as a workflow on stubbed adapters. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pointRecorded } from '../../shared/domain/protectionMachine.js';
import { isSynchronizing } from '../../shared/domain/protectionState.js';
import { failoverCancel, failoverCommit, plannedFailover } from '../../shared/protection/failoverCommands.js';
import { createWorkflowBed, RECOVERY, SOURCE, type WorkflowBed } from './support/workflowBed.js';

afterEach(() => {
  vi.useRealTimers();
});

/** The chain between job steps: once the resync it was asked for is under way, its first point completes it. */
const chainResyncs = (bed: WorkflowBed) => async (): Promise<void> => {
  const item = await bed.item();
  if (bed.replicationSends.length > 0 && item.replication.pendingResync) await bed.changeItem((current) => ({ ...current, replication: { ...current.replication, pendingResync: undefined } }));
  const now = await bed.item();
  if (now.replication.active && isSynchronizing(now.state) && !now.replication.pendingResync) await bed.changeItem((current) => ({ ...current, state: pointRecorded(current.state) }));
};

describe('cancel failover workflow', () => {
  it('discards the recovery VM, gives the original VM its disks back and starts it, then resyncs to Protected', async () => {
    const bed = await createWorkflowBed();
    await bed.addPoint({ time: new Date(Date.now() - 60_000).toISOString() });
    const failover = await plannedFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { failoverDirection: 'PrimaryToRecovery' } } });
    await bed.drain();
    expect((await bed.job(failover.jobId)).state).toBe('Succeeded');
    const failedOver = await bed.item();
    const recoveryVmId = failedOver.recoveryVm?.vmId ?? '';
    expect(bed.recovery.vms.get(recoveryVmId)?.powerState).toBe('Running');
    expect(bed.source.vms.get(bed.vm.id)).toMatchObject({ powerState: 'Off', fenced: true });

    bed.siteCalls.length = 0;
    const cancel = await failoverCancel({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined });
    expect((await bed.item()).state.protectionState).toBe('CancelFailoverInProgress');
    await bed.drain(chainResyncs(bed));

    const done = await bed.job(cancel.jobId);
    expect(done.state).toBe('Succeeded');
    expect(done.tasks.map((task) => task.state)).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded']);
    expect(bed.recovery.vms.has(recoveryVmId)).toBe(false);
    expect(bed.source.vms.get(bed.vm.id)).toMatchObject({ powerState: 'Running', fenced: false });
    expect(bed.siteCalls.map((call) => `${call.site}:${call.op}`)).toEqual(expect.arrayContaining([`${RECOVERY}:removeVm`, `${SOURCE}:unfence`, `${SOURCE}:start`]));
    const item = await bed.item();
    expect(item.state).toMatchObject({ protectionState: 'Protected', activeLocation: 'Primary', replicationDirection: 'PrimaryToRecovery' });
    expect(item.recoveryVm).toBeUndefined();
    expect(item.replication.active).toBe(true);
    expect(item.currentScenario).toBeUndefined();
    expect(bed.points.all(bed.itemKey).every((point) => (point.pinnedBy ?? []).length === 0)).toBe(true);
  });

  it('is refused once the failover is committed, and while the item is Protected', async () => {
    const bed = await createWorkflowBed();
    await expect(failoverCancel({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined })).rejects.toMatchObject({ status: 409 });
    await bed.addPoint();
    await plannedFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: {} } });
    await bed.drain();
    await failoverCommit({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined });
    await bed.drain();
    await expect(failoverCancel({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined })).rejects.toMatchObject({ status: 409 });
  });
});
