/** Enable protection, initial replication and infrastructure provisioning as workflows on stubbed adapters. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VaultRef } from '../../shared/arm/resourceId.js';
import { pointRecorded } from '../../shared/domain/protectionMachine.js';
import { ROW } from '../../shared/infra/rowKinds.js';
import { PROTECTION_MARK_ROW } from '../../shared/infra/siteInventory.js';
import { submitProvisioning } from '../../shared/infra/provisioningJob.js';
import { cancelJob } from '../../shared/jobs/jobActions.js';
import { jobKinds } from '../../shared/jobs/jobKinds.js';
import { newJob } from '../../shared/jobs/jobModel.js';
import { submitJob } from '../../shared/jobs/submitJob.js';
import { taskNamesOf } from '../../shared/protection/itemWorkflow.js';
import { itemPathOf, itemRowName, PROTECTED_ITEM_ROW } from '../../shared/protection/protectedItemRecord.js';
import { enableProtectionWorkflow } from '../../shared/protection/workflows/enableProtectionJob.js';
import { vaultPartition } from '../../shared/repos/partitions.js';
import { createWorkflowBed, SOURCE, type WorkflowBed } from './support/workflowBed.js';

afterEach(() => {
  vi.useRealTimers();
});

/** The bed's item as enable protection's admission leaves it, with its job submitted. */
async function enabling(bed: WorkflowBed): Promise<string> {
  const item = await bed.changeItem((current) => ({
    ...current,
    state: { ...current.state, protectionState: 'EnablingProtection' },
    replication: { ...current.replication, generation: 0, active: false },
  }));
  const job = newJob({
    kind: enableProtectionWorkflow.kind,
    vault: bed.vault,
    scenarioName: 'EnableDr',
    friendlyName: 'Enable protection',
    targetObjectId: itemPathOf(item),
    targetObjectName: item.friendlyName,
    targetInstanceType: 'ProtectionEntity',
    resultPath: itemPathOf(item),
    input: { ...bed.route, plan: [] },
    tasks: taskNamesOf(enableProtectionWorkflow).map((name) => ({ name })),
  });
  await submitJob(bed.deps.plane, job, [{ action: 'replace', kind: PROTECTED_ITEM_ROW, name: itemRowName(item), value: { ...item, currentScenario: { scenarioName: 'EnableDr', jobId: job.jobId, startTime: job.startTime } }, etag: (await bed.deps.plane.repository.get(vaultPartition(bed.vault), PROTECTED_ITEM_ROW, itemRowName(item)))?.etag ?? '' }]);
  return job.jobId;
}

describe('enable protection and initial replication workflows', () => {
  it('enable checks the VM, starts replication with the initial replication job, marks the VM; that job follows the chain to Protected', async () => {
    const bed = await createWorkflowBed();
    const enableJobId = await enabling(bed);
    let percent = 0;
    await bed.drain(async () => {
      // The chain: copies in steps of 50 %, then its first point makes the item Protected.
      const item = await bed.item();
      if (!item.replication.active || item.state.protectionState !== 'InitialReplicationInProgress') return;
      percent = Math.min(100, percent + 50);
      await bed.changeItem((current) => ({ ...current, state: percent === 100 ? pointRecorded(current.state) : current.state, replication: { ...current.replication, initialReplicationPercent: percent } }));
    });

    const enable = await bed.job(enableJobId);
    expect(enable.state).toBe('Succeeded');
    expect(enable.tasks.every((task) => task.state === 'Succeeded')).toBe(true);
    const item = await bed.item();
    expect(item.state.protectionState).toBe('Protected');
    expect(item.currentScenario).toBeUndefined();
    const initial = await bed.job(item.initialReplicationJobId ?? '');
    expect(initial).toMatchObject({ scenarioName: 'IrCompletion', state: 'Succeeded', tasks: [{ state: 'Succeeded', stateDescription: '100%' }] });
    expect(bed.replicationSends).toEqual([expect.objectContaining({ generation: 1, fabricName: SOURCE })]);
    expect(await bed.deps.plane.repository.get(vaultPartition(bed.vault), PROTECTION_MARK_ROW, [SOURCE, bed.vm.id])).toMatchObject({ value: { protectedItemId: itemPathOf(item) } });
  });

  it('enable fails when the VM is gone from its site, leaving the item EnablingFailed and free', async () => {
    const bed = await createWorkflowBed();
    bed.source.vms.clear();
    const enableJobId = await enabling(bed);
    await bed.drain();
    const failed = await bed.job(enableJobId);
    expect(failed.state).toBe('Failed');
    expect(failed.errors.at(-1)?.serviceErrorDetails.code).toBe('SourceVmNotFound');
    expect(failed.tasks.map((task) => task.state)).toEqual(['Failed', 'Skipped', 'Skipped', 'Skipped', 'Skipped']);
    const item = await bed.item();
    expect(item.state.protectionState).toBe('EnablingFailed');
    expect(item.currentScenario).toBeUndefined();
  });

  it('cancelling initial replication reports it to the item: replication stops, the item is InitialReplicationFailed', async () => {
    const bed = await createWorkflowBed();
    await enabling(bed);
    // Run enable through, but keep the chain from ever finishing.
    await bed.drain(async () => {
      const item = await bed.item();
      const irJobId = item.initialReplicationJobId;
      if (irJobId && (await bed.job(irJobId)).state === 'InProgress' && !(await bed.job(irJobId)).cancelRequested) await cancelJob(bed.deps.plane, jobKinds, bed.vault, irJobId);
    });
    const item = await bed.item();
    expect((await bed.job(item.initialReplicationJobId ?? '')).state).toBe('Cancelled');
    expect(item.state.protectionState).toBe('InitialReplicationFailed');
    expect(item.replication.active).toBe(false);
    expect(item.currentScenario).toBeUndefined();
  });
});

describe('infrastructure provisioning workflow', () => {
  it('completes a creation (the row Succeeded) and a removal (the row and its cascade gone)', async () => {
    const bed = await createWorkflowBed();
    const vault: VaultRef = bed.vault;
    const partition = vaultPartition(vault);
    const repository = bed.deps.plane.repository;
    await repository.create(partition, ROW.policy, 'policy-2', { name: 'policy-2', provisioningState: 'Creating' });
    const create = await submitProvisioning(bed.deps.plane, {
      vault,
      input: { operation: 'create', rowKind: ROW.policy, name: ['policy-2'] },
      scenarioName: 'AddProtectionProfile',
      friendlyName: 'Create replication policy',
      targetObjectId: 'policy-2',
      targetObjectName: 'policy-2',
      targetInstanceType: 'ProtectionProfile',
      resultPath: '/policy-2',
    });
    await bed.drain();
    expect((await bed.job(create.jobId)).state).toBe('Succeeded');
    expect((await repository.get(partition, ROW.policy, 'policy-2'))?.value).toMatchObject({ provisioningState: 'Succeeded' });

    await repository.upsert(partition, ROW.siteHost, [SOURCE, 'host-1'], { hostName: 'host-1' });
    const remove = await submitProvisioning(bed.deps.plane, {
      vault,
      input: { operation: 'delete', rowKind: ROW.fabric, name: [SOURCE], cascade: [{ kind: ROW.siteHost, prefix: [SOURCE] }] },
      scenarioName: 'RemoveSite',
      friendlyName: 'Remove a site',
      targetObjectId: SOURCE,
      targetObjectName: SOURCE,
      targetInstanceType: 'Fabric',
    });
    await bed.drain();
    expect((await bed.job(remove.jobId)).state).toBe('Succeeded');
    expect(await repository.get(partition, ROW.fabric, SOURCE)).toBeUndefined();
    expect(await repository.get(partition, ROW.siteHost, [SOURCE, 'host-1'])).toBeUndefined();
  });
});

describe('the job catalogue', () => {
  it('has a definition for every job kind the app submits, and nothing else', () => {
    expect(Object.keys(jobKinds).sort()).toEqual(
      ['cancelFailover', 'changeRecoveryPoint', 'commitFailover', 'disableProtection', 'drill', 'enableProtection', 'failover', 'infraProvisioning', 'initialReplication', 'providerRefresh', 'providerRemoval', 'recoveryPlan', 'repairReplication', 'reprotect', 'testFailover', 'testFailoverCleanup', 'updateProtectedItem'].sort(),
    );
  });
});
