/** Admission of item commands while the item changes under them (replication writes it every step). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { admitItemCommand } from '../../shared/protection/admitItemCommand.js';
import { requireProtectedItem } from '../../shared/protection/itemLookup.js';
import { taskNamesOf } from '../../shared/protection/itemWorkflow.js';
import { repairReplicationWorkflow } from '../../shared/protection/workflows/repairReplicationJob.js';
import { testFailoverWorkflow } from '../../shared/protection/workflows/testFailoverJob.js';
import { createWorkflowBed } from './support/workflowBed.js';

afterEach(() => {
  vi.useRealTimers();
});

const testFailoverJob = { kind: testFailoverWorkflow.kind, scenarioName: 'TestFailover', friendlyName: 'Test failover', tasks: taskNamesOf(testFailoverWorkflow) };

describe('admission of item commands', () => {
  it('judges a command again on the fresh row when replication wrote the item after it was read', async () => {
    const bed = await createWorkflowBed();
    await bed.addPoint();
    const stale = await requireProtectedItem(bed.deps.plane.repository, bed.vault, bed.route);
    await bed.changeItem((item) => ({ ...item, replication: { ...item.replication, lastReplicatedTime: new Date().toISOString() } }));

    const { job } = await admitItemCommand(bed.deps.plane, stale, { event: { type: 'TestFailover' }, job: testFailoverJob });
    const item = await bed.item();
    expect(item.currentScenario?.jobId).toBe(job.jobId);
    expect(item.state.testFailoverState).toBe('TestFailoverInitiated');
    expect(item.replication.lastReplicatedTime).toBeDefined();
  });

  it('gives the loser of two racing commands the winner\'s 409, naming the operation in progress', async () => {
    const bed = await createWorkflowBed();
    await bed.addPoint();
    const stale = await requireProtectedItem(bed.deps.plane.repository, bed.vault, bed.route);
    const { job: winner } = await admitItemCommand(bed.deps.plane, stale, { event: { type: 'TestFailover' }, job: testFailoverJob });
    const loser = admitItemCommand(bed.deps.plane, stale, { event: { type: 'RepairReplication' }, job: { kind: repairReplicationWorkflow.kind, scenarioName: 'RepairVMReplication', friendlyName: 'Repair', tasks: taskNamesOf(repairReplicationWorkflow) } });
    await expect(loser).rejects.toMatchObject({ status: 409 });
    expect((await bed.item()).currentScenario?.jobId).toBe(winner.jobId);
  });
});
