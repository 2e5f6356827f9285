/**
 * The item's state as ASR names it to clients: `protectionState` and `testFailoverState` with their
 * descriptions. ASR names a failed-over item after the failover that brought it there and whether it
 * is committed (`PlannedFailoverCommitRequired`, `UnplannedFailoverCommitPendingStatesBegin`,
 * `PlannedFailoverStatesBegin`, `UnplannedFailoverCommitted`). Pure.
 */
import { testFailoverIdle, type ProtectionSnapshot, type ProtectionState, type TestFailoverState } from './protectionState.js';

export interface AsrStateNames {
  protectionState: string;
  protectionStateDescription: string;
  testFailoverState: TestFailoverState;
  testFailoverStateDescription: string;
}

const DESCRIPTIONS: Record<ProtectionState, [name: string, description: string]> = {
  EnablingProtection: ['EnablingProtection', 'Enabling protection'],
  EnablingFailed: ['EnablingFailed', 'Enabling protection failed'],
  InitialReplicationInProgress: ['InitialReplicationInProgress', 'Initial replication in progress'],
  InitialReplicationFailed: ['InitialReplicationFailed', 'Initial replication failed'],
  Protected: ['Protected', 'Protected'],
  ResynchronizationInProgress: ['ResynchronizationInProgress', 'Resynchronization in progress'],
  PlannedFailoverInitiated: ['PlannedFailoverInitiated', 'Planned failover in progress'],
  PlannedFailoverFailed: ['PlannedFailoverFailed', 'Planned failover failed'],
  PlannedFailoverCompleted: ['PlannedFailoverCommitRequired', 'Planned failover finished'],
  UnplannedFailoverInitiated: ['UnplannedFailoverInitiated', 'Failover in progress'],
  UnplannedFailoverFailed: ['UnplannedFailoverFailed', 'Failover failed'],
  UnplannedFailoverCompleted: ['UnplannedFailoverCommitPendingStatesBegin', 'Failover completed'],
  ChangeRecoveryPointInitiated: ['ChangeRecoveryPointInitiated', 'Changing recovery point'],
  CommitFailoverInProgress: ['CommitFailoverInProgress', 'Commit in progress'],
  CommitFailoverCompleted: ['UnplannedFailoverCommitted', 'Failover committed'],
  CommitFailoverFailed: ['CommitFailoverFailed', 'Commit failed'],
  CancelFailoverInProgress: ['CancelFailoverInProgress', 'Cancel failover in progress'],
  ReprotectInitiated: ['ReprotectInitiated', 'Re-protect in progress'],
  ReprotectFailed: ['ReprotectFailed', 'Re-protect failed'],
  DisablingProtection: ['DisablingProtection', 'Disabling protection'],
  DisablingFailed: ['DisablingFailed', 'Disabling protection failed'],
};

const TEST_FAILOVER_DESCRIPTIONS: Record<TestFailoverState, string> = {
  None: 'None',
  TestFailoverInitiated: 'Test failover in progress',
  WaitingForCompletion: 'Waiting for user input',
  TestFailoverFailed: 'Test failover failed',
  TestFailoverCleanupInitiated: 'Cleaning up test environment',
  MarkedForDeletion: 'Cleaning up test environment',
};

export function asrStateNames(s: ProtectionSnapshot): AsrStateNames {
  let [protectionState, protectionStateDescription] = DESCRIPTIONS[s.protectionState];
  if (s.protectionState === 'CommitFailoverCompleted' && s.lastFailover === 'Planned') [protectionState, protectionStateDescription] = ['PlannedFailoverStatesBegin', 'Planned failover committed'];
  if (s.protectionState === 'Protected' && s.testFailoverState === 'WaitingForCompletion') protectionStateDescription = 'Cleanup test failover pending';
  return { protectionState, protectionStateDescription, testFailoverState: s.testFailoverState, testFailoverStateDescription: TEST_FAILOVER_DESCRIPTIONS[s.testFailoverState] };
}

/** A short description of the state for messages, in the names clients see. */
export function describe(s: ProtectionSnapshot): string {
  const shown = asrStateNames(s).protectionState;
  return testFailoverIdle(s) ? shown : `${shown}, ${s.testFailoverState}`;
}
