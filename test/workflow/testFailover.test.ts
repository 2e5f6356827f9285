/** Test failover and its cleanup as workflows, on stubbed adapters. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testFailover, testFailoverCleanup } from '../../shared/protection/failoverCommands.js';
import { createVmAtSite } from '../../shared/protection/recoveryVms.js';
import { createWorkflowBed, RECOVERY } from './support/workflowBed.js';

const NETWORK = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/test-net';
const allSucceeded = (tasks: ReadonlyArray<{ state: string }>): boolean => tasks.every((task) => task.state === 'Succeeded');

afterEach(() => {
  vi.useRealTimers();
});

describe('test failover workflow', () => {
  it('replicates what is pending (Latest), pins that fresh point, brings the test VM up from it and releases the item', async () => {
    const bed = await createWorkflowBed();
    const older = await bed.addPoint({ time: new Date(Date.now() - 60_000).toISOString() });
    const job = await testFailover({
      deps: bed.deps,
      vault: bed.vault,
      route: bed.route,
      body: { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', networkId: NETWORK, providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
    });
    expect((await bed.item()).currentScenario?.jobId).toBe(job.jobId);
    await bed.drain();

    const done = await bed.job(job.jobId);
    expect(done.state).toBe('Succeeded');
    expect(allSucceeded(done.tasks)).toBe(true);
    const [fresh] = bed.points.all(bed.itemKey);
    expect(fresh?.id).not.toBe(older.id);
    expect(bed.replicationSends).toHaveLength(1);
    const item = await bed.item();
    expect(item.state).toMatchObject({ protectionState: 'Protected', testFailoverState: 'WaitingForCompletion' });
    expect(item.currentScenario).toBeUndefined();
    expect(item.testVm).toMatchObject({ pointId: fresh?.id, pinnedBy: job.jobId, networkId: NETWORK, name: 'web-01-test' });
    expect(fresh?.pinnedBy).toEqual([job.jobId]);
    expect(bed.siteCalls.filter((call) => call.op === 'createVmFromSnapshots')).toEqual([
      {
        site: RECOVERY,
        op: 'createVmFromSnapshots',
        vmId: item.testVm?.vmId,
        detail: { name: 'web-01-test', network: { networkId: NETWORK }, sources: bed.vm.disks.map((disk) => ({ id: disk.id, url: expect.stringContaining(`snapshot=snap-${fresh?.id}`) })) },
      },
    ]);
    expect(bed.recovery.vms.get(item.testVm?.vmId ?? '')?.powerState).toBe('Running');
    // Nothing touched the source VM: replication goes on.
    expect(bed.siteCalls.filter((call) => call.site !== RECOVERY)).toEqual([]);
    expect(item.replication.active).toBe(true);
  });

  it('on the latest processed point, takes no new point', async () => {
    const bed = await createWorkflowBed();
    const point = await bed.addPoint();
    const job = await testFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'LatestProcessed' } } } });
    await bed.drain();
    expect((await bed.job(job.jobId)).state).toBe('Succeeded');
    expect(bed.replicationSends).toEqual([]);
    expect((await bed.item()).testVm?.pointId).toBe(point.id);
  });

  it('fails without a point, reports the failure to the item and releases it', async () => {
    const bed = await createWorkflowBed();
    const job = await testFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'LatestProcessed' } } } });
    await bed.drain();
    const failed = await bed.job(job.jobId);
    expect(failed.state).toBe('Failed');
    expect(failed.errors[0]?.serviceErrorDetails).toMatchObject({ code: 'NoRecoveryPointAvailable', recommendedAction: expect.any(String) });
    const item = await bed.item();
    expect(item.state.testFailoverState).toBe('TestFailoverFailed');
    expect(item.currentScenario).toBeUndefined();
  });
});

describe('test failover cleanup workflow', () => {
  it('deletes the test VM, releases its point and records the drill', async () => {
    const bed = await createWorkflowBed();
    const point = await bed.addPoint();
    const drill = await testFailover({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'LatestProcessed' } } } });
    await bed.drain();
    const testVmId = (await bed.item()).testVm?.vmId ?? '';
    expect(bed.recovery.vms.has(testVmId)).toBe(true);

    const cleanup = await testFailoverCleanup({ deps: bed.deps, vault: bed.vault, route: bed.route, body: { properties: { comments: 'drill passed' } } });
    await bed.drain();
    const done = await bed.job(cleanup.jobId);
    expect(done.state).toBe('Succeeded');
    expect(allSucceeded(done.tasks)).toBe(true);
    expect(done.input).toMatchObject({ comments: 'drill passed' });
    expect(bed.recovery.vms.has(testVmId)).toBe(false);
    expect(bed.siteCalls.map((call) => call.op).slice(-2)).toEqual(['shutdown', 'removeVm']);
    expect((await bed.points.get(bed.itemKey, point.id))?.pinnedBy).toBeUndefined();
    const item = await bed.item();
    expect(item.state.testFailoverState).toBe('MarkedForDeletion');
    expect(item.testVm).toBeUndefined();
    expect(item.lastSuccessfulTestFailoverTime).toBeDefined();
    expect(item.currentScenario).toBeUndefined();
    expect(drill.jobId).not.toBe(cleanup.jobId);

    // A late duplicate of the drill's step that created the test VM (it read the job before the job
    // moved on) runs after the cleanup: it fails, and the test VM stays deleted.
    const late = createVmAtSite(bed.deps, bed.recovery, item, point, { vmId: testVmId, name: 'web-01-test', purpose: 'test', network: {} });
    await expect(late).rejects.toMatchObject({ code: 'RecoveryVmDeleted' });
    expect(bed.recovery.vms.has(testVmId)).toBe(false);
  });
});
