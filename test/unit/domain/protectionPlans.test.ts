/**
 * What the protection machine asks to be done, as data: each command's plan and each outcome's
 * effects. Nothing is carried out here; the tests read the effects the machine returns.
 */
import { describe, expect, it } from 'vitest';
import type { ProtectionEffect } from '../../../shared/domain/protectionEffects.js';
import type { CommandEvent, OutcomeEvent } from '../../../shared/domain/protectionEvents.js';
import { failoverDirectionOf, pointRecorded, transition, type Transition } from '../../../shared/domain/protectionMachine.js';
import type { ProtectionSnapshot } from '../../../shared/domain/protectionState.js';

const protectedForward: ProtectionSnapshot = { protectionState: 'Protected', testFailoverState: 'None', activeLocation: 'Primary', replicationDirection: 'PrimaryToRecovery', failoverCommitted: false };
const protectedReverse: ProtectionSnapshot = { ...protectedForward, replicationDirection: 'RecoveryToPrimary', activeLocation: 'Recovery', failoverCommitted: true };
const failedOver: ProtectionSnapshot = { ...protectedForward, protectionState: 'UnplannedFailoverCompleted', activeLocation: 'Recovery' };

function accepted(s: ProtectionSnapshot, event: CommandEvent | OutcomeEvent): Transition {
  const result = transition(s, event);
  if (!result.ok) throw new Error(`${event.type} refused: ${result.reason}`);
  return result;
}

const types = (effects: readonly ProtectionEffect[]): string[] => effects.map((effect) => effect.type);

describe('protection machine plans', () => {
  it('test failover on Latest: a fresh point, the latest processed pin, the test VM in the given network, the report', () => {
    const moved = accepted(protectedForward, { type: 'TestFailover', networkId: 'net' });
    expect(moved.next.testFailoverState).toBe('TestFailoverInitiated');
    expect(moved.effects).toEqual([]);
    expect(moved.plan).toEqual([
      { type: 'awaitFreshPoint' },
      { type: 'pinPoint', choice: { kind: 'LatestProcessed' }, direction: 'PrimaryToRecovery' },
      { type: 'createRecoveryVm', purpose: 'test', networkId: 'net' },
      { type: 'report', outcome: { type: 'TestFailoverCompleted' } },
    ]);
  });

  it('a chosen point is pinned as chosen, without a fresh point', () => {
    const choice = { kind: 'Custom', recoveryPointId: 'p1' } as const;
    expect(accepted(protectedForward, { type: 'TestFailover', choice }).plan[0]).toEqual({ type: 'pinPoint', choice, direction: 'PrimaryToRecovery' });
  });

  it('planned failover: warn if not drilled, shut the source down, sync, pin, stop, fence, start at the recovery site', () => {
    const moved = accepted(protectedForward, { type: 'PlannedFailover' });
    expect(moved.next.protectionState).toBe('PlannedFailoverInitiated');
    expect(moved.plan).toEqual([
      { type: 'warnIfNotDrilled' },
      { type: 'shutDownVm', vm: 'source' },
      { type: 'awaitFreshPoint' },
      { type: 'pinPoint', choice: { kind: 'LatestProcessed' }, direction: 'PrimaryToRecovery' },
      { type: 'stopReplication' },
      { type: 'fenceSource' },
      { type: 'createRecoveryVm', purpose: 'failover' },
      { type: 'report', outcome: { type: 'FailoverCompleted' } },
    ]);
  });

  it('unplanned failover without the source cannot sync: Latest means the latest processed point, and nothing is shut down', () => {
    expect(types(accepted(protectedForward, { type: 'UnplannedFailover', sourceSiteOperations: 'NotRequired' }).plan)).toEqual([
      'warnIfNotDrilled',
      'pinPoint',
      'stopReplication',
      'fenceSource',
      'createRecoveryVm',
      'report',
    ]);
    expect(types(accepted(protectedForward, { type: 'UnplannedFailover', sourceSiteOperations: 'Required' }).plan)).toEqual([
      'warnIfNotDrilled',
      'shutDownVm',
      'awaitFreshPoint',
      'pinPoint',
      'stopReplication',
      'fenceSource',
      'createRecoveryVm',
      'report',
    ]);
  });

  it('failback restores the original VM, or creates it at an alternate site; nothing is fenced and no drill is asked for', () => {
    const back = accepted(protectedReverse, { type: 'PlannedFailover' });
    expect(back.plan).toEqual([
      { type: 'presyncChanges' },
      { type: 'shutDownVm', vm: 'recovery' },
      { type: 'awaitFreshPoint' },
      { type: 'pinPoint', choice: { kind: 'LatestProcessed' }, direction: 'RecoveryToPrimary' },
      { type: 'stopReplication' },
      { type: 'restorePrimaryVm', startRecreatedVm: true },
      { type: 'report', outcome: { type: 'FailoverCompleted' } },
    ]);
    expect(accepted(protectedReverse, { type: 'PlannedFailover', alternateFabricName: 'site-b' }).plan).toContainEqual({ type: 'createVmAtAlternateSite', fabricName: 'site-b' });
  });

  it('a failover the other way than data replicates is refused naming the field; the default direction is the replication direction', () => {
    const wrong = transition(protectedForward, { type: 'PlannedFailover', direction: 'RecoveryToPrimary' });
    expect(wrong).toMatchObject({ ok: false, kind: 'wrongDirection', field: 'properties.failoverDirection' });
    expect(failoverDirectionOf(protectedReverse, undefined)).toBe('RecoveryToPrimary');
    expect(transition(protectedReverse, { type: 'ChangePit' })).toMatchObject({ ok: false });
  });

  it('commit: release the point; after failback also delete the recovery VM, and the commit resumes protection', () => {
    expect(accepted(failedOver, { type: 'Commit' }).plan).toEqual([{ type: 'unpinVmPoint', vm: 'recovery' }, { type: 'report', outcome: { type: 'CommitCompleted' } }]);
    const failedBack: ProtectionSnapshot = { ...protectedReverse, protectionState: 'PlannedFailoverCompleted', activeLocation: 'Primary', failoverCommitted: false };
    expect(types(accepted(failedBack, { type: 'Commit' }).plan)).toEqual(['unpinVmPoint', 'deleteVm', 'report']);
    const committing = accepted(failedBack, { type: 'Commit' }).next;
    const committed = accepted(committing, { type: 'CommitCompleted' });
    expect(committed.next).toMatchObject({ protectionState: 'InitialReplicationInProgress', replicationDirection: 'PrimaryToRecovery' });
    expect(committed.effects).toEqual([{ type: 'startReplication', resync: true }, { type: 'releaseItem' }]);
  });

  it('re-protect commits an uncommitted failover first; its report starts replication back, and it waits for Protected', () => {
    expect(types(accepted(failedOver, { type: 'ReverseReplicate' }).plan)).toEqual(['unpinVmPoint', 'prepareOriginalVm', 'report', 'awaitProtected']);
    const committed: ProtectionSnapshot = { ...failedOver, protectionState: 'CommitFailoverCompleted', failoverCommitted: true };
    const reprotecting = accepted(committed, { type: 'ReverseReplicate' });
    expect(types(reprotecting.plan)).toEqual(['prepareOriginalVm', 'report', 'awaitProtected']);
    const started = accepted(reprotecting.next, { type: 'ReprotectStarted' });
    expect(started.next).toMatchObject({ protectionState: 'InitialReplicationInProgress', replicationDirection: 'RecoveryToPrimary' });
    expect(started.effects).toEqual([{ type: 'startReplication', resync: true }]);
  });

  it('repair restarts replication with the state change itself, so the old chain cannot end the resync', () => {
    const moved = accepted(protectedForward, { type: 'RepairReplication' });
    expect(moved.effects).toEqual([{ type: 'startReplication', resync: true }]);
    expect(moved.plan).toEqual([{ type: 'resumeReplication' }, { type: 'awaitProtected' }]);
  });

  it('failures release the item and the point the job pinned; cancelled initial replication stops the chain', () => {
    const testing = accepted(protectedForward, { type: 'TestFailover' }).next;
    expect(accepted(testing, { type: 'TestFailoverFailed' }).effects).toEqual([{ type: 'releaseItem' }, { type: 'releaseJobPoint' }]);
    const changing = accepted(failedOver, { type: 'ChangePit' }).next;
    expect(accepted(changing, { type: 'RecoveryPointChangeFailed' })).toMatchObject({ next: { protectionState: 'UnplannedFailoverCompleted' }, effects: [{ type: 'releaseItem' }, { type: 'releaseJobPoint' }] });
    const replicating: ProtectionSnapshot = { ...protectedForward, protectionState: 'InitialReplicationInProgress' };
    expect(accepted(replicating, { type: 'InitialReplicationFailed' }).effects).toEqual([{ type: 'stopReplication' }, { type: 'releaseItem' }]);
  });

  it('a recovery point completes initial replication and resync, and changes nothing otherwise', () => {
    expect(pointRecorded({ ...protectedForward, protectionState: 'InitialReplicationInProgress' }).protectionState).toBe('Protected');
    expect(pointRecorded({ ...protectedForward, protectionState: 'ResynchronizationInProgress' }).protectionState).toBe('Protected');
    expect(pointRecorded(failedOver)).toEqual(failedOver);
  });

  it('disable plans stopping, ending background jobs, deleting the data and the item', () => {
    expect(types(accepted(protectedForward, { type: 'DisableProtection' }).plan)).toEqual(['stopReplication', 'endBackgroundJobs', 'deleteReplicationData', 'removeItem']);
  });
});
