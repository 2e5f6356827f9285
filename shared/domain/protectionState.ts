/**
 * The protected item's state as the protection machine sees it, in ASR's grammar: its
 * `protectionState`, its `testFailoverState`, where the VM runs now, and which way data flows.
 */

export type ProtectionState =
  | 'EnablingProtection'
  | 'EnablingFailed'
  | 'InitialReplicationInProgress'
  | 'InitialReplicationFailed'
  | 'Protected'
  | 'ResynchronizationInProgress'
  | 'PlannedFailoverInitiated'
  | 'PlannedFailoverFailed'
  | 'PlannedFailoverCompleted'
  | 'UnplannedFailoverInitiated'
  | 'UnplannedFailoverFailed'
  | 'UnplannedFailoverCompleted'
  | 'ChangeRecoveryPointInitiated'
  | 'CommitFailoverInProgress'
  | 'CommitFailoverCompleted'
  | 'CommitFailoverFailed'
  | 'CancelFailoverInProgress'
  | 'ReprotectInitiated'
  | 'ReprotectFailed'
  | 'DisablingProtection'
  | 'DisablingFailed';

/**
 * ASR's `testFailoverState`: a test VM coming up (`TestFailoverInitiated`), up and waiting for the
 * operator's cleanup (`WaitingForCompletion`), failed, being cleaned up, and cleaned up
 * (`MarkedForDeletion`, which ASR keeps showing until the next test failover). `None` and
 * `MarkedForDeletion` are both idle.
 */
export type TestFailoverState = 'None' | 'TestFailoverInitiated' | 'WaitingForCompletion' | 'TestFailoverFailed' | 'TestFailoverCleanupInitiated' | 'MarkedForDeletion';

/** Where the VM runs now: at the primary (source) site or the recovery site. */
export type ActiveLocation = 'Primary' | 'Recovery';

export type FailoverDirection = 'PrimaryToRecovery' | 'RecoveryToPrimary';

export interface ProtectionSnapshot {
  protectionState: ProtectionState;
  testFailoverState: TestFailoverState;
  activeLocation: ActiveLocation;
  /**
   * Which way data flows while protected: `PrimaryToRecovery` normally, `RecoveryToPrimary` after
   * re-protect (until failback commits).
   */
  replicationDirection: FailoverDirection;
  /** Whether the item's last failover has been committed. */
  failoverCommitted: boolean;
  /** The kind of the item's last failover (ASR names the failed-over and committed states after it). */
  lastFailover?: 'Planned' | 'Unplanned';
}

/** ASR's `ReplicationProtectedItemOperation` values we support. */
export type Operation =
  | 'ReverseReplicate'
  | 'Commit'
  | 'PlannedFailover'
  | 'UnplannedFailover'
  | 'DisableProtection'
  | 'TestFailover'
  | 'TestFailoverCleanup'
  | 'Failback'
  | 'ChangePit'
  | 'CancelFailover'
  | 'RepairReplication';

/** The state of a newly created protected item (enable protection admitted). */
export const enablingSnapshot: ProtectionSnapshot = {
  protectionState: 'EnablingProtection',
  testFailoverState: 'None',
  activeLocation: 'Primary',
  replicationDirection: 'PrimaryToRecovery',
  failoverCommitted: false,
};

export const opposite = (direction: FailoverDirection): FailoverDirection => (direction === 'PrimaryToRecovery' ? 'RecoveryToPrimary' : 'PrimaryToRecovery');

/** The site a failover in `direction` brings the VM up at. */
export const targetLocationOf = (direction: FailoverDirection): ActiveLocation => (direction === 'PrimaryToRecovery' ? 'Recovery' : 'Primary');

/** Whether no test failover is under way or waiting for cleanup. */
export const testFailoverIdle = (s: Pick<ProtectionSnapshot, 'testFailoverState'>): boolean => s.testFailoverState === 'None' || s.testFailoverState === 'MarkedForDeletion';

/** Whether replication is copying a full or resync pass (the item is not yet, or no longer, Protected). */
export const isSynchronizing = (s: Pick<ProtectionSnapshot, 'protectionState'>): boolean =>
  s.protectionState === 'InitialReplicationInProgress' || s.protectionState === 'ResynchronizationInProgress';
