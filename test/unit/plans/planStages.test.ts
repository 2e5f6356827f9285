import { describe, expect, it } from 'vitest';
import type { ProtectionSnapshot } from '../../../shared/domain/protectionState.js';
import type { ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import { parseActionTimeout } from '../../../shared/plans/actionTimeout.js';
import type { PlanAction, PlanGroup, RecoveryPlanRecord } from '../../../shared/plans/planRecord.js';
import { planAllowedOperations } from '../../../shared/plans/planResource.js';
import { actionApplies, planStages } from '../../../shared/plans/planStages.js';

const item = (name: string) => ({ fabricName: 'site', containerName: 'c', itemName: name, vmId: `${name}-vm` });
const manual = (failoverTypes: string[], failoverDirections: Array<'PrimaryToRecovery' | 'RecoveryToPrimary'> = ['PrimaryToRecovery']): PlanAction => ({
  actionName: 'check',
  failoverTypes: failoverTypes as PlanAction['failoverTypes'],
  failoverDirections,
  customDetails: { instanceType: 'ManualActionDetails', description: 'look' },
});
const groups: PlanGroup[] = [
  { groupType: 'Shutdown', items: [], startGroupActions: [], endGroupActions: [manual(['PlannedFailover'])] },
  { groupType: 'Failover', items: [], startGroupActions: [], endGroupActions: [] },
  { groupType: 'Boot', items: [item('web')], startGroupActions: [], endGroupActions: [] },
  { groupType: 'Boot', items: [item('app'), item('api')], startGroupActions: [manual(['TestFailover'])], endGroupActions: [manual(['Failback'], ['RecoveryToPrimary'])] },
];

describe('plan stages', () => {
  it('runs the Shutdown and Failover groups, then the Boot groups in order, with the actions of the operation and direction', () => {
    const planned = planStages(groups, { operation: 'PlannedFailover', direction: 'PrimaryToRecovery', shutsDownSources: true });
    expect(planned.map((stage) => [stage.name, stage.work, stage.items.map((entry) => entry.itemName)])).toEqual([
      ['All groups shutdown', 'shutdown', ['web', 'app', 'api']],
      ['All groups failover', 'none', []],
      ['Group 1: Start', 'item', ['web']],
      ['Group 2: Start', 'item', ['app', 'api']],
    ]);
    expect(planned[0]?.endActions).toHaveLength(1);
    expect(planned[3]?.startActions).toHaveLength(0);
    const test = planStages(groups, { operation: 'TestFailover', direction: 'PrimaryToRecovery', shutsDownSources: false });
    expect(test[0]?.work).toBe('none');
    expect(test[3]?.startActions).toHaveLength(1);
  });

  it('counts a failback as a planned failover and as Failback for its actions', () => {
    expect(actionApplies(manual(['Failback'], ['RecoveryToPrimary']), 'PlannedFailover', 'RecoveryToPrimary')).toBe(true);
    expect(actionApplies(manual(['Failback'], ['RecoveryToPrimary']), 'PlannedFailover', 'PrimaryToRecovery')).toBe(false);
    expect(actionApplies(manual(['TestFailover']), 'UnplannedFailover', 'PrimaryToRecovery')).toBe(false);
  });
});

describe('plan allowed operations', () => {
  const plan = { groups } as RecoveryPlanRecord;
  const state = (patch: Partial<ProtectionSnapshot>): ProtectedItemRecord => ({ state: { protectionState: 'Protected', testFailoverState: 'None', activeLocation: 'Primary', replicationDirection: 'PrimaryToRecovery', failoverCommitted: false, ...patch } }) as ProtectedItemRecord;

  it('allows what every item allows, nothing while a job runs, and the failovers when the plan is empty', () => {
    expect(planAllowedOperations(plan, [state({}), state({})], undefined)).toEqual(['PlannedFailover', 'UnplannedFailover', 'TestFailover']);
    expect(planAllowedOperations(plan, [state({}), state({ testFailoverState: 'WaitingForCompletion' })], undefined)).toEqual([]);
    expect(planAllowedOperations(plan, [state({ testFailoverState: 'WaitingForCompletion' })], undefined)).toEqual(['TestFailoverCleanup']);
    expect(planAllowedOperations(plan, [state({ protectionState: 'UnplannedFailoverCompleted', activeLocation: 'Recovery' })], undefined)).toEqual(['Commit', 'CancelFailover', 'ReverseReplicate']);
    expect(planAllowedOperations(plan, [state({}), undefined], undefined)).toEqual([]);
    expect(planAllowedOperations(plan, [], undefined)).toEqual(['PlannedFailover', 'UnplannedFailover', 'TestFailover']);
  });
});

describe('action timeouts', () => {
  it('reads ISO 8601 durations and seconds, and refuses the rest naming the field', () => {
    expect(parseActionTimeout('PT10M', 't')).toBe(600_000);
    expect(parseActionTimeout('PT1H30M', 't')).toBe(5_400_000);
    expect(parseActionTimeout('45', 't')).toBe(45_000);
    expect(parseActionTimeout(undefined, 't')).toBe(600_000);
    expect(() => parseActionTimeout('ten minutes', 'properties.x.timeout')).toThrow(/properties\.x\.timeout/);
    expect(() => parseActionTimeout('PT48H', 't')).toThrow();
  });
});
