/** Re-protect and repair replication as workflows on stubbed adapters. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pointRecorded } from '../../shared/domain/protectionMachine.js';
import { isSynchronizing } from '../../shared/domain/protectionState.js';
import { reProtect } from '../../shared/protection/failoverCommands.js';
import { repairReplication } from '../../shared/protection/repairReplication.js';
import type { CycleState } from '../../shared/replication/cycleState.js';
import { createWorkflowBed, SOURCE, type WorkflowBed } from './support/workflowBed.js';

afterEach(() => {
  vi.useRealTimers();
});

/** The chain's part between job steps: once replication runs, its first point completes the sync. */
const chainCompletes = (bed: WorkflowBed) => async (): Promise<void> => {
  const item = await bed.item();
  if (item.replication.active && isSynchronizing(item.state) && !item.replication.pendingResync) {
    await bed.changeItem((current) => ({ ...current, state: pointRecorded(current.state), replication: { ...current.replication, initialReplicationPercent: 100 } }));
  }
};

/** Replication having taken its message: the resync it was asked for is under way. */
const chainStarts = (bed: WorkflowBed) => async (): Promise<void> => {
  if (bed.replicationSends.length > 0) await bed.changeItem((item) => ({ ...item, replication: { ...item.replication, pendingResync: undefined } }));
  await chainCompletes(bed)();
};

async function committedFailover(bed: WorkflowBed): Promise<string> {
  const recoveryVm = await bed.recovery.createEmptyVm({ id: '0f4c1c2a-7d5e-4a8b-9c3d-1e2f3a4b5c6d', name: 'web-01', osType: 'Linux', generation: 2, cpuCount: 2, memoryMB: 2048, powerState: 'Running', disks: [] });
  const point = await bed.addPoint();
  await bed.points.pin(bed.itemKey, point.id, 'failover-job');
  await bed.changeItem((item) => ({
    ...item,
    replication: { ...item.replication, active: false },
    recoveryVm: { vmId: recoveryVm.id, name: 'web-01', pointId: point.id, pointsKey: bed.itemKey, pinnedBy: 'failover-job' },
  }));
  bed.siteCalls.length = 0;
  return point.id;
}

describe('re-protect workflow', () => {
  it('commits the failover, fences the original VM, starts replication back as a resync and follows it to Protected', async () => {
    const bed = await createWorkflowBed({ protectionState: 'UnplannedFailoverCompleted', activeLocation: 'Recovery' });
    const pointId = await committedFailover(bed);
    const before = (await bed.item()).replication.generation;
    const job = await reProtect({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { failoverDirection: 'RecoveryToPrimary' } } });
    await bed.drain(chainStarts(bed));

    const done = await bed.job(job.jobId);
    expect(done.state).toBe('Succeeded');
    expect(done.tasks.every((task) => task.state === 'Succeeded')).toBe(true);
    expect(bed.siteCalls.map((call) => `${call.site}:${call.op}`)).toEqual([`${SOURCE}:fence`]);
    expect((await bed.points.get(bed.itemKey, pointId))?.pinnedBy).toBeUndefined();
    const item = await bed.item();
    expect(item.state).toMatchObject({ protectionState: 'Protected', replicationDirection: 'RecoveryToPrimary', failoverCommitted: true });
    expect(item.replication).toMatchObject({ active: true, generation: before + 1 });
    expect(bed.replicationSends).toHaveLength(1);
    expect(item.currentScenario).toBeUndefined();
  });

  it('recreates an original VM its site lost, with empty disks of the same ids, and warns', async () => {
    const bed = await createWorkflowBed({ protectionState: 'UnplannedFailoverCompleted', activeLocation: 'Recovery' });
    await committedFailover(bed);
    bed.source.vms.clear();
    const job = await reProtect({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined });
    await bed.drain(chainStarts(bed));

    const done = await bed.job(job.jobId);
    expect(done.state).toBe('Succeeded');
    expect(done.errors.map((error) => [error.errorLevel, error.serviceErrorDetails.code])).toEqual([['Warning', 'OriginalVmRecreated']]);
    expect(bed.siteCalls.map((call) => call.op)).toEqual(['createEmptyVm', 'fence']);
    expect(bed.source.vms.get(bed.vm.id)?.disks.map((disk) => disk.id)).toEqual(bed.vm.disks.map((disk) => disk.id));
    expect(bed.source.vms.get(bed.vm.id)).toMatchObject({ powerState: 'Off', fenced: true });
  });

  it('refuses disks that changed size at the original site, and reports the failure', async () => {
    const bed = await createWorkflowBed({ protectionState: 'UnplannedFailoverCompleted', activeLocation: 'Recovery' });
    await committedFailover(bed);
    const vm = bed.source.vms.get(bed.vm.id);
    if (vm) vm.disks = vm.disks.map((disk) => ({ ...disk, sizeBytes: disk.sizeBytes * 2 }));
    const job = await reProtect({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined });
    await bed.drain();
    const failed = await bed.job(job.jobId);
    expect(failed.state).toBe('Failed');
    expect(failed.errors.at(-1)?.serviceErrorDetails).toMatchObject({ code: 'OriginalDisksNotFound', possibleCauses: expect.any(String) });
    expect((await bed.item()).state.protectionState).toBe('ReprotectFailed');
    expect(bed.siteCalls.map((call) => call.op)).toEqual([]);
  });
});

describe('repair replication workflow', () => {
  it('restarts the chain with a resync at admission, cleans up the cycle it interrupted, and completes once Protected', async () => {
    const bed = await createWorkflowBed();
    const cycle: CycleState = {
      version: 1,
      kind: 'delta',
      cycleId: 'interrupted',
      itemKey: bed.itemKey,
      time: new Date().toISOString(),
      seq: 3,
      applicationConsistent: false,
      disks: bed.vm.disks.map((disk) => ({
        diskId: disk.id,
        sizeBytes: disk.sizeBytes,
        source: { container: disk.container, blobName: disk.blobName, snapshot: 'snap-old' },
        targetBlob: `replicas/${bed.itemKey}/${disk.id}.vhd`,
        mode: 'changeLog',
        pages: 1,
        bytesTotal: 4096,
        marked: true,
      })),
      cursor: { disk: 0, page: 0, index: 0, offset: 0 },
      copied: false,
      bytesTotal: 8192,
      bytesDone: 4096,
      bytesRead: 4096,
      bytesUploaded: 4096,
      bytesCleared: 0,
      chunksHashed: 1,
      chunksUploaded: 1,
      chunksUnchanged: 0,
      steps: 1,
    };
    const before = await bed.changeItem((item) => ({ ...item, replication: { ...item.replication, cycle } }));
    const job = await repairReplication({ deps: bed.deps, vault: bed.vault, route: bed.route, body: undefined });
    const admitted = await bed.item();
    expect(admitted.state.protectionState).toBe('ResynchronizationInProgress');
    expect(admitted.replication).toMatchObject({ generation: before.replication.generation + 1, pendingResync: true, active: true });
    expect(admitted.replication.cycle).toBeUndefined();

    await bed.drain(chainStarts(bed));
    expect((await bed.job(job.jobId)).state).toBe('Succeeded');
    expect(bed.engineCalls).toEqual([{ op: 'abandonCycle', detail: 'interrupted' }]);
    expect(bed.siteCalls).toEqual([{ site: SOURCE, op: 'deleteCheckpoint', detail: ['snap-old', 'snap-old'] }]);
    expect(bed.replicationSends).toHaveLength(1);
    const item = await bed.item();
    expect(item.state.protectionState).toBe('Protected');
    expect(item.currentScenario).toBeUndefined();
  });
});
