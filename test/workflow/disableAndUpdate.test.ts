/** Disable protection and the update of recovery settings as workflows on stubbed adapters. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newJob } from '../../shared/jobs/jobModel.js';
import { PROTECTION_MARK_ROW } from '../../shared/infra/siteInventory.js';
import { disableProtection } from '../../shared/protection/disableProtection.js';
import { itemPathOf, reversePointsKey } from '../../shared/protection/protectedItemRecord.js';
import { STRAGGLER_GRACE_MS } from '../../shared/protection/steps/replicationSteps.js';
import { updateProtectedItem } from '../../shared/protection/updateProtectedItem.js';
import { vaultPartition } from '../../shared/repos/partitions.js';
import { createWorkflowBed, SOURCE, type WorkflowBed } from './support/workflowBed.js';

afterEach(() => {
  vi.useRealTimers();
});

/** An initial replication job still holding the item, as after enable protection. */
async function initialReplicationRunning(bed: WorkflowBed): Promise<string> {
  const item = await bed.item();
  const job = newJob({
    kind: 'initialReplication',
    vault: bed.vault,
    scenarioName: 'IrCompletion',
    friendlyName: 'Initial replication',
    targetObjectId: itemPathOf(item),
    targetObjectName: item.friendlyName,
    targetInstanceType: 'ProtectionEntity',
    resultPath: itemPathOf(item),
    input: { ...bed.route, plan: [] },
    tasks: [{ name: 'Initial replication' }],
  });
  // Its steps are not run here: it stands for a job that is still following replication.
  await bed.deps.plane.repository.transact(vaultPartition(bed.vault), [bed.deps.plane.jobs.createAction(job)]);
  await bed.changeItem((current) => ({ ...current, currentScenario: { scenarioName: 'IrCompletion', jobId: job.jobId, startTime: job.startTime }, initialReplicationJobId: job.jobId }));
  return job.jobId;
}

describe('disable protection workflow', () => {
  it('stops replication, ends the initial replication it took over, deletes what replication wrote after the stragglers, then the item and its mark', async () => {
    const bed = await createWorkflowBed({ protectionState: 'InitialReplicationInProgress' });
    const partition = vaultPartition(bed.vault);
    await bed.deps.plane.repository.upsert(partition, PROTECTION_MARK_ROW, [SOURCE, bed.vm.id], { vmId: bed.vm.id, protectedItemId: 'item', markedAt: new Date().toISOString() });
    await bed.addPoint();
    const irJobId = await initialReplicationRunning(bed);
    const stoppedAt = Date.now();
    const job = await disableProtection(bed.deps.plane, bed.vault, bed.route, { properties: { disableProtectionReason: 'NotSpecified' } }, { purge: false });
    if (!job) throw new Error('no job');
    await bed.drain();

    const done = await bed.job(job.jobId);
    expect(done.state).toBe('Succeeded');
    expect(done.tasks.every((task) => task.state === 'Succeeded')).toBe(true);
    expect((await bed.job(irJobId)).state).toBe('Cancelled');
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(STRAGGLER_GRACE_MS);
    await expect(bed.item()).rejects.toThrow('gone');
    expect(await bed.deps.plane.repository.get(partition, PROTECTION_MARK_ROW, [SOURCE, bed.vm.id])).toMatchObject({ value: { protectedItemId: null } });
    expect(bed.points.all(bed.itemKey)).toEqual([]);
    expect(bed.engineCalls.filter((call) => call.op === 'deleteReplicas').map((call) => call.detail)).toContainEqual({ itemKey: bed.itemKey, targets: [] });
    // The source VM is untouched.
    expect(bed.siteCalls).toEqual([]);
    expect(bed.source.vms.has(bed.vm.id)).toBe(true);
  });

  it('after re-protect also removes the reverse points from the original disks, keeping the disks', async () => {
    const bed = await createWorkflowBed({ protectionState: 'CommitFailoverCompleted', activeLocation: 'Recovery', failoverCommitted: true });
    await bed.changeItem((item) => ({ ...item, replication: { ...item.replication, active: false }, recoveryVm: { vmId: 'b3f0b7a0-2a55-4c43-8f0e-0c6c0d9f3e11', name: 'web-01', pointId: 'p', pointsKey: bed.itemKey, pinnedBy: 'j' } }));
    const job = await disableProtection(bed.deps.plane, bed.vault, bed.route, undefined, { purge: true });
    if (!job) throw new Error('no job');
    await bed.drain();
    expect((await bed.job(job.jobId)).state).toBe('Succeeded');
    expect(bed.engineCalls.map((call) => call.detail)).toContainEqual({ itemKey: reversePointsKey(bed.itemKey), targets: bed.vm.disks.map((disk) => disk.blobName) });
  });
});

describe('update protected item workflow', () => {
  it('writes the new settings at admission and hands the item back to the initial replication it interrupted', async () => {
    const bed = await createWorkflowBed({ protectionState: 'InitialReplicationInProgress' });
    const irJobId = await initialReplicationRunning(bed);
    const network = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/recovery-net';
    const { job } = await updateProtectedItem(bed.deps.plane, bed.vault, bed.route, { properties: { recoveryAzureVMName: 'web-01-dr', recoveryAzureVMSize: 'Standard_D4s_v3', selectedRecoveryAzureNetworkId: network } });
    expect((await bed.item()).recovery).toMatchObject({ vmName: 'web-01-dr', vmSize: 'Standard_D4s_v3', networkId: network });
    expect((await bed.item()).currentScenario?.jobId).toBe(job.jobId);
    await bed.drain();
    expect((await bed.job(job.jobId)).state).toBe('Succeeded');
    expect((await bed.item()).currentScenario).toMatchObject({ scenarioName: 'IrCompletion', jobId: irJobId });
  });
});
