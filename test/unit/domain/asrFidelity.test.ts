import { describe, expect, it } from 'vitest';
import { allowedOperations } from '../../../shared/domain/allowedOperations.js';
import { asrStateNames } from '../../../shared/domain/asrStateNames.js';
import { computeFailoverHealth } from '../../../shared/domain/failoverHealth.js';
import type { CommandEvent, ProtectionEvent } from '../../../shared/domain/protectionEvents.js';
import { operationOf, transition } from '../../../shared/domain/protectionMachine.js';
import type { Operation, ProtectionSnapshot } from '../../../shared/domain/protectionState.js';

const protectedForward: ProtectionSnapshot = { protectionState: 'Protected', testFailoverState: 'None', activeLocation: 'Primary', replicationDirection: 'PrimaryToRecovery', failoverCommitted: false };

function run(events: ProtectionEvent[], from: ProtectionSnapshot = protectedForward): ProtectionSnapshot {
  return events.reduce((s, e) => {
    const r = transition(s, e);
    if (!r.ok) throw new Error(`${e.type} rejected: ${r.reason}`);
    return r.next;
  }, from);
}

/** Every state reached by the lifecycle, with the operation of each command the machine accepts there. */
const lifecycle: ProtectionEvent[][] = [
  [],
  [{ type: 'TestFailover' }, { type: 'TestFailoverCompleted' }],
  [{ type: 'TestFailover' }, { type: 'TestFailoverFailed' }],
  [{ type: 'PlannedFailover' }, { type: 'FailoverCompleted' }],
  [{ type: 'UnplannedFailover' }, { type: 'FailoverCompleted' }],
  [{ type: 'UnplannedFailover' }, { type: 'FailoverCompleted' }, { type: 'Commit' }, { type: 'CommitCompleted' }],
  [{ type: 'PlannedFailover' }, { type: 'FailoverCompleted' }, { type: 'ReverseReplicate' }, { type: 'ReprotectStarted' }, { type: 'InitialReplicationCompleted' }],
  [{ type: 'PlannedFailover' }, { type: 'FailoverCompleted' }, { type: 'ReverseReplicate' }, { type: 'ReprotectStarted' }, { type: 'InitialReplicationCompleted' }, { type: 'PlannedFailover' }, { type: 'FailoverCompleted' }],
];

const COMMANDS: CommandEvent[] = [
  { type: 'TestFailover' },
  { type: 'TestFailoverCleanup' },
  { type: 'PlannedFailover' },
  { type: 'UnplannedFailover' },
  { type: 'ChangePit' },
  { type: 'Commit' },
  { type: 'CancelFailover' },
  { type: 'ReverseReplicate' },
  { type: 'RepairReplication' },
  { type: 'DisableProtection' },
];

describe('ASR state names and allowed operations', () => {
  it('names each state as ASR does (the REST examples of each operation)', () => {
    const names = (events: ProtectionEvent[]) => asrStateNames(run(events));
    expect(names([])).toEqual({ protectionState: 'Protected', protectionStateDescription: 'Protected', testFailoverState: 'None', testFailoverStateDescription: 'None' });
    expect(names([{ type: 'TestFailover' }, { type: 'TestFailoverCompleted' }])).toEqual({
      protectionState: 'Protected',
      protectionStateDescription: 'Cleanup test failover pending',
      testFailoverState: 'WaitingForCompletion',
      testFailoverStateDescription: 'Waiting for user input',
    });
    expect(names([{ type: 'TestFailover' }, { type: 'TestFailoverCompleted' }, { type: 'TestFailoverCleanup' }, { type: 'TestFailoverCleanedUp' }])).toMatchObject({
      protectionState: 'Protected',
      testFailoverState: 'MarkedForDeletion',
      testFailoverStateDescription: 'Cleaning up test environment',
    });
    expect(names([{ type: 'PlannedFailover' }, { type: 'FailoverCompleted' }])).toMatchObject({ protectionState: 'PlannedFailoverCommitRequired', protectionStateDescription: 'Planned failover finished' });
    expect(names([{ type: 'UnplannedFailover' }, { type: 'FailoverCompleted' }])).toMatchObject({ protectionState: 'UnplannedFailoverCommitPendingStatesBegin', protectionStateDescription: 'Failover completed' });
    expect(names([{ type: 'PlannedFailover' }, { type: 'FailoverCompleted' }, { type: 'Commit' }, { type: 'CommitCompleted' }])).toMatchObject({ protectionState: 'PlannedFailoverStatesBegin', protectionStateDescription: 'Planned failover committed' });
    expect(names([{ type: 'UnplannedFailover' }, { type: 'FailoverCompleted' }, { type: 'Commit' }, { type: 'CommitCompleted' }])).toMatchObject({ protectionState: 'UnplannedFailoverCommitted', protectionStateDescription: 'Failover committed' });
  });

  it('lists the operations of the spec examples: Protected, test failover, failed over, committed, reverse', () => {
    expect(allowedOperations(protectedForward)).toEqual(['PlannedFailover', 'UnplannedFailover', 'DisableProtection', 'TestFailover', 'RepairReplication']);
    expect(allowedOperations(run([{ type: 'TestFailover' }, { type: 'TestFailoverCompleted' }]))).toEqual(['TestFailoverCleanup']);
    expect(allowedOperations(run([{ type: 'PlannedFailover' }, { type: 'FailoverCompleted' }]))).toEqual(['Commit', 'DisableProtection', 'ChangePit', 'ReverseReplicate', 'CancelFailover']);
    const committed = run([{ type: 'UnplannedFailover' }, { type: 'FailoverCompleted' }, { type: 'Commit' }, { type: 'CommitCompleted' }]);
    expect(allowedOperations(committed)).toEqual(['ReverseReplicate', 'DisableProtection']);
    const reverse = run(lifecycle[6] ?? []);
    expect(allowedOperations(reverse)).toEqual(expect.arrayContaining(['PlannedFailover', 'Failback']));
    expect(allowedOperations(reverse)).not.toContain('TestFailover');
  });

  it('advertises exactly what it accepts in every state of the lifecycle', () => {
    for (const events of lifecycle) {
      const s = run(events);
      const advertised = new Set<Operation>(allowedOperations(s));
      for (const command of COMMANDS) {
        if (command.type === 'ReverseReplicate' && s.replicationDirection === 'PrimaryToRecovery' && s.activeLocation === 'Primary') continue; // the ASR-script no-op
        const result = transition(s, command);
        const operation = operationOf(command, s);
        const accepted = result.ok;
        const listed = advertised.has(operation) || (operation === 'Failback' && advertised.has('PlannedFailover'));
        expect({ state: s, operation, accepted }).toEqual({ state: s, operation, accepted: listed });
      }
    }
  });

  it('keeps a planned failover planned when its recovery point is changed, also when the change fails', () => {
    const planned = run([{ type: 'PlannedFailover' }, { type: 'FailoverCompleted' }]);
    expect(run([{ type: 'ChangePit' }, { type: 'RecoveryPointChanged' }], planned).protectionState).toBe('PlannedFailoverCompleted');
    expect(run([{ type: 'ChangePit' }, { type: 'RecoveryPointChangeFailed' }], planned).protectionState).toBe('PlannedFailoverCompleted');
    const unplanned = run([{ type: 'UnplannedFailover' }, { type: 'FailoverCompleted' }]);
    expect(run([{ type: 'ChangePit' }, { type: 'RecoveryPointChangeFailed' }], unplanned).protectionState).toBe('UnplannedFailoverCompleted');
  });

  it('accepts a re-protect in the direction the item already replicates as a no-op', () => {
    const result = transition(protectedForward, { type: 'ReverseReplicate', direction: 'PrimaryToRecovery' });
    expect(result).toMatchObject({ ok: true, next: protectedForward, plan: [], noop: true });
  });
});

describe('failback options', () => {
  const reverse = run(lifecycle[6] ?? []);
  const planOf = (event: ProtectionEvent) => {
    const result = transition(reverse, event);
    if (!result.ok) throw new Error(result.reason);
    return result.plan.map((effect) => effect.type);
  };

  it('ForSynchronization syncs while the VM runs, then the delta; ForDownTime shuts down first and compares everything', () => {
    expect(planOf({ type: 'PlannedFailover', dataSyncOption: 'ForSynchronization' })).toEqual(['presyncChanges', 'shutDownVm', 'awaitFreshPoint', 'pinPoint', 'stopReplication', 'restorePrimaryVm', 'report']);
    const downTime = transition(reverse, { type: 'PlannedFailover', dataSyncOption: 'ForDownTime' });
    expect(downTime.ok && downTime.plan.slice(0, 2)).toEqual([{ type: 'shutDownVm', vm: 'recovery' }, { type: 'awaitFreshPoint', resync: true }]);
  });

  it('NoAction does not start a VM that re-protect had to recreate', () => {
    const result = transition(reverse, { type: 'PlannedFailover', recoveryVmCreationOption: 'NoAction' });
    expect(result.ok && result.plan).toContainEqual({ type: 'restorePrimaryVm', startRecreatedVm: false });
  });
});

describe('failover health', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const base = { now, friendlyName: 'vm1', replicating: true, entityId: 'item' };

  it('warns with ASR error 161011 until a test failover succeeds, and again after 180 days', () => {
    const never = computeFailoverHealth(base);
    expect(never.failoverHealth).toBe('Warning');
    expect(never.healthErrors[0]).toMatchObject({ errorCode: '161011', errorCategory: 'TestFailover', errorLevel: 'Warning' });
    expect(never.healthErrors[0]?.errorMessage).toContain("'vm1'");
    expect(computeFailoverHealth({ ...base, lastSuccessfulTestFailoverTime: '2026-05-01T00:00:00Z' })).toEqual({ failoverHealth: 'Normal', healthErrors: [] });
    expect(computeFailoverHealth({ ...base, lastSuccessfulTestFailoverTime: '2025-11-01T00:00:00Z' }).failoverHealth).toBe('Warning');
  });

  it('raises nothing while the item does not replicate', () => {
    expect(computeFailoverHealth({ ...base, replicating: false }).failoverHealth).toBe('Normal');
  });
});
