import { describe, expect, it } from 'vitest';
import { allowedOperations } from '../../../shared/domain/allowedOperations.js';
import type { ProtectionEvent } from '../../../shared/domain/protectionEvents.js';
import { transition } from '../../../shared/domain/protectionMachine.js';
import { enablingSnapshot, type ProtectionSnapshot } from '../../../shared/domain/protectionState.js';

/** Applies events in order, failing the test on the first rejection. */
function run(events: ProtectionEvent[], from: ProtectionSnapshot = enablingSnapshot): ProtectionSnapshot {
  return events.reduce((s, e) => {
    const r = transition(s, e);
    if (!r.ok) throw new Error(`${e.type} rejected: ${r.reason}`);
    return r.next;
  }, from);
}

const protectedItem = run([{ type: 'ProtectionEnabled' }, { type: 'InitialReplicationCompleted' }]);

describe('protection machine', () => {
  it('enables protection through initial replication to Protected', () => {
    expect(protectedItem.protectionState).toBe('Protected');
    expect(allowedOperations(protectedItem)).toEqual(['PlannedFailover', 'UnplannedFailover', 'DisableProtection', 'TestFailover', 'RepairReplication']);
  });

  it('rejects failover before initial replication completes, listing what is allowed', () => {
    const replicating = run([{ type: 'ProtectionEnabled' }]);
    const r = transition(replicating, { type: 'UnplannedFailover', direction: 'PrimaryToRecovery' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.allowedOperations).toEqual(['DisableProtection']);
      expect(r.reason).toContain('UnplannedFailover');
    }
  });

  it('runs a test failover and its cleanup without touching protection', () => {
    const testing = run([{ type: 'TestFailover', direction: 'PrimaryToRecovery' }, { type: 'TestFailoverCompleted' }], protectedItem);
    expect(testing.protectionState).toBe('Protected');
    expect(allowedOperations(testing)).toEqual(['TestFailoverCleanup']);
    expect(transition(testing, { type: 'TestFailover', direction: 'PrimaryToRecovery' }).ok).toBe(false);
    expect(transition(testing, { type: 'PlannedFailover', direction: 'PrimaryToRecovery' }).ok).toBe(false);
    expect(testing.testFailoverState).toBe('WaitingForCompletion');
    const cleaned = run([{ type: 'TestFailoverCleanup' }, { type: 'TestFailoverCleanedUp' }], testing);
    expect(cleaned).toEqual({ ...protectedItem, testFailoverState: 'MarkedForDeletion' });
    expect(allowedOperations(cleaned)).toEqual(allowedOperations(protectedItem));
    expect(transition(cleaned, { type: 'TestFailover', direction: 'PrimaryToRecovery' }).ok).toBe(true);
  });

  it('rejects cleanup with no test failover', () => {
    expect(transition(protectedItem, { type: 'TestFailoverCleanup' }).ok).toBe(false);
  });

  it('goes round the full cycle: failover, commit, re-protect, failback, commit, and again', () => {
    let s = protectedItem;
    for (let round = 0; round < 3; round++) {
      s = run([{ type: 'UnplannedFailover', direction: 'PrimaryToRecovery' }, { type: 'FailoverCompleted' }], s);
      expect(s).toMatchObject({ protectionState: 'UnplannedFailoverCompleted', activeLocation: 'Recovery' });
      expect(allowedOperations(s)).toEqual(['Commit', 'DisableProtection', 'ChangePit', 'ReverseReplicate', 'CancelFailover']);
      expect(transition(s, { type: 'UnplannedFailover', direction: 'PrimaryToRecovery' }).ok).toBe(false);
      s = run([{ type: 'Commit' }, { type: 'CommitCompleted' }], s);
      expect(s.protectionState).toBe('CommitFailoverCompleted');
      s = run([{ type: 'ReverseReplicate', direction: 'RecoveryToPrimary' }, { type: 'ReprotectStarted' }], s);
      expect(s).toMatchObject({ protectionState: 'InitialReplicationInProgress', replicationDirection: 'RecoveryToPrimary' });
      s = run([{ type: 'InitialReplicationCompleted' }], s);
      expect(allowedOperations(s)).toEqual(['PlannedFailover', 'Failback', 'UnplannedFailover', 'DisableProtection', 'RepairReplication']);
      expect(transition(s, { type: 'PlannedFailover', direction: 'PrimaryToRecovery' }).ok).toBe(false);
      s = run([{ type: 'PlannedFailover', direction: 'RecoveryToPrimary' }, { type: 'FailoverCompleted' }], s);
      expect(s).toMatchObject({ protectionState: 'PlannedFailoverCompleted', activeLocation: 'Primary' });
      expect(allowedOperations(s)).toEqual(['Commit', 'DisableProtection']);
      s = run([{ type: 'Commit' }, { type: 'CommitCompleted' }], s);
      expect(s).toMatchObject({
        protectionState: 'InitialReplicationInProgress',
        replicationDirection: 'PrimaryToRecovery',
        activeLocation: 'Primary',
      });
      s = run([{ type: 'InitialReplicationCompleted' }], s);
      expect(s.protectionState).toBe('Protected');
    }
  });

  it('lets re-protect start from an uncommitted failover (the job commits first)', () => {
    const s = run([{ type: 'PlannedFailover', direction: 'PrimaryToRecovery' }, { type: 'FailoverCompleted' }], protectedItem);
    expect(transition(s, { type: 'ReverseReplicate', direction: 'RecoveryToPrimary' }).ok).toBe(true);
    expect(transition(s, { type: 'ReverseReplicate', direction: 'PrimaryToRecovery' }).ok).toBe(false);
  });

  it('rejects re-protect before failover and failback without re-protect', () => {
    expect(transition(protectedItem, { type: 'ReverseReplicate', direction: 'RecoveryToPrimary' }).ok).toBe(false);
    const failedOver = run([{ type: 'UnplannedFailover', direction: 'PrimaryToRecovery' }, { type: 'FailoverCompleted' }, { type: 'Commit' }, { type: 'CommitCompleted' }], protectedItem);
    expect(transition(failedOver, { type: 'PlannedFailover', direction: 'RecoveryToPrimary' }).ok).toBe(false);
  });

  it('keeps a failed failover retryable and changes recovery point before commit', () => {
    const failed = run([{ type: 'PlannedFailover', direction: 'PrimaryToRecovery' }, { type: 'FailoverFailed' }], protectedItem);
    expect(allowedOperations(failed)).toContain('UnplannedFailover');
    const s = run([{ type: 'UnplannedFailover', direction: 'PrimaryToRecovery' }, { type: 'FailoverCompleted' }, { type: 'ChangePit' }, { type: 'RecoveryPointChanged' }], failed);
    expect(s.protectionState).toBe('UnplannedFailoverCompleted');
  });

  it('rejects outcomes that do not belong to the state', () => {
    expect(transition(protectedItem, { type: 'FailoverCompleted' }).ok).toBe(false);
    expect(transition(protectedItem, { type: 'ProtectionEnabled' }).ok).toBe(false);
  });

  it('allows disabling from steady states but not mid-failover', () => {
    expect(transition(protectedItem, { type: 'DisableProtection' }).ok).toBe(true);
    const inFlight = run([{ type: 'PlannedFailover', direction: 'PrimaryToRecovery' }], protectedItem);
    expect(transition(inFlight, { type: 'DisableProtection' }).ok).toBe(false);
  });
});
