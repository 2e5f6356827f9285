/**
 * The protected item's state machine: a pure transition table.
 *
 * A protected item's state is its `protectionState` (ASR's grammar), its `testFailoverState`, and
 * which site currently runs the VM (`activeLocation`). Commands (operations a user asks for) and
 * outcomes (a job step reporting success or failure) are events. `transition` never performs I/O:
 * it returns the next state, or a rejection listing the operations the state allows.
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
  | 'ReprotectInitiated'
  | 'ReprotectFailed'
  | 'DisablingProtection'
  | 'DisablingFailed';

export type TestFailoverState =
  | 'None'
  | 'TestFailoverInitiated'
  | 'TestFailoverCompleted'
  | 'TestFailoverFailed'
  | 'TestFailoverCleanupInitiated';

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
  | 'RepairReplication';

/** Commands a user sends; `direction` is required on the failover family. */
export type CommandEvent =
  | { type: 'TestFailover'; direction: FailoverDirection }
  | { type: 'TestFailoverCleanup' }
  | { type: 'PlannedFailover'; direction: FailoverDirection }
  | { type: 'UnplannedFailover'; direction: FailoverDirection }
  | { type: 'ChangePit' }
  | { type: 'Commit' }
  | { type: 'ReverseReplicate'; direction: FailoverDirection }
  | { type: 'RepairReplication' }
  | { type: 'DisableProtection' };

/** Outcomes reported by the job that runs a command (or by enable protection's own jobs). */
export type OutcomeEvent =
  | { type: 'ProtectionEnabled' }
  | { type: 'EnableFailed' }
  | { type: 'InitialReplicationCompleted' }
  | { type: 'InitialReplicationFailed' }
  | { type: 'ResynchronizationCompleted' }
  | { type: 'ResynchronizationFailed' }
  | { type: 'TestFailoverCompleted' }
  | { type: 'TestFailoverFailed' }
  | { type: 'TestFailoverCleanedUp' }
  | { type: 'FailoverCompleted' }
  | { type: 'FailoverFailed' }
  | { type: 'RecoveryPointChanged' }
  | { type: 'CommitCompleted' }
  | { type: 'CommitFailed' }
  | { type: 'ReprotectStarted' }
  | { type: 'ReprotectFailed' }
  | { type: 'DisableFailed' };

export type ProtectionEvent = CommandEvent | OutcomeEvent;

export type TransitionResult =
  | { ok: true; next: ProtectionSnapshot }
  | { ok: false; reason: string; allowedOperations: Operation[] };

/** The state of a newly created protected item (enable protection admitted). */
export const enablingSnapshot: ProtectionSnapshot = {
  protectionState: 'EnablingProtection',
  testFailoverState: 'None',
  activeLocation: 'Primary',
  replicationDirection: 'PrimaryToRecovery',
  failoverCommitted: false,
};

const FAILED_OVER: ReadonlySet<ProtectionState> = new Set(['PlannedFailoverCompleted', 'UnplannedFailoverCompleted']);
const STEADY_REPLICATING: ReadonlySet<ProtectionState> = new Set(['Protected']);
const FAILOVER_RETRYABLE: ReadonlySet<ProtectionState> = new Set(['PlannedFailoverFailed', 'UnplannedFailoverFailed']);

const opposite = (direction: FailoverDirection): FailoverDirection =>
  direction === 'PrimaryToRecovery' ? 'RecoveryToPrimary' : 'PrimaryToRecovery';

/** The site a failover in `direction` brings the VM up at. */
export const targetLocationOf = (direction: FailoverDirection): ActiveLocation =>
  direction === 'PrimaryToRecovery' ? 'Recovery' : 'Primary';

/**
 * Whether a failover-family command in `direction` matches the item's replication: one can only fail
 * over the way data is replicating (a failback is a planned failover after re-protect).
 */
const directionMatches = (s: ProtectionSnapshot, direction: FailoverDirection): boolean =>
  s.replicationDirection === direction;

/** Operations the state allows, in ASR's enum strings. */
export function allowedOperations(s: ProtectionSnapshot): Operation[] {
  const ops: Operation[] = [];
  const testIdle = s.testFailoverState === 'None';
  const forward = s.replicationDirection === 'PrimaryToRecovery';
  if (STEADY_REPLICATING.has(s.protectionState) && testIdle) {
    if (forward) ops.push('TestFailover', 'PlannedFailover', 'UnplannedFailover');
    else ops.push('Failback', 'UnplannedFailover');
  }
  if (FAILOVER_RETRYABLE.has(s.protectionState)) ops.push(forward ? 'PlannedFailover' : 'Failback', 'UnplannedFailover');
  if (s.testFailoverState === 'TestFailoverCompleted' || s.testFailoverState === 'TestFailoverFailed') {
    ops.push('TestFailoverCleanup');
  }
  if (FAILED_OVER.has(s.protectionState) && !s.failoverCommitted) ops.push('Commit', 'ChangePit');
  if (s.protectionState === 'CommitFailoverFailed') ops.push('Commit');
  if (
    (FAILED_OVER.has(s.protectionState) && forward) ||
    s.protectionState === 'CommitFailoverCompleted' ||
    s.protectionState === 'ReprotectFailed'
  ) {
    ops.push('ReverseReplicate');
  }
  if ((s.protectionState === 'Protected' && testIdle) || s.protectionState === 'InitialReplicationFailed') {
    ops.push('RepairReplication');
  }
  if (canDisable(s)) ops.push('DisableProtection');
  return ops;
}

function canDisable(s: ProtectionSnapshot): boolean {
  if (s.testFailoverState !== 'None' && s.testFailoverState !== 'TestFailoverFailed') return false;
  return [
    'EnablingFailed',
    'InitialReplicationInProgress',
    'InitialReplicationFailed',
    'Protected',
    'ResynchronizationInProgress',
    'PlannedFailoverFailed',
    'UnplannedFailoverFailed',
    'CommitFailoverCompleted',
    'ReprotectFailed',
    'DisablingFailed',
  ].includes(s.protectionState);
}

const reject = (s: ProtectionSnapshot, reason: string): TransitionResult => ({
  ok: false,
  reason,
  allowedOperations: allowedOperations(s),
});

const to = (s: ProtectionSnapshot, patch: Partial<ProtectionSnapshot>): TransitionResult => ({
  ok: true,
  next: { ...s, ...patch },
});

/** Maps a command to the operation name ASR lists in `allowedOperations`. */
export function operationOf(event: CommandEvent): Operation {
  switch (event.type) {
    case 'PlannedFailover':
      return event.direction === 'RecoveryToPrimary' ? 'Failback' : 'PlannedFailover';
    default:
      return event.type;
  }
}

function applyCommand(s: ProtectionSnapshot, e: CommandEvent): TransitionResult {
  const op = operationOf(e);
  if (!allowedOperations(s).includes(op)) {
    return reject(s, `The operation '${op}' is not allowed while the item is in state '${describe(s)}'.`);
  }
  switch (e.type) {
    case 'TestFailover':
      if (!directionMatches(s, e.direction)) return reject(s, `Test failover must run in the replication direction '${s.replicationDirection}'.`);
      return to(s, { testFailoverState: 'TestFailoverInitiated' });
    case 'TestFailoverCleanup':
      return to(s, { testFailoverState: 'TestFailoverCleanupInitiated' });
    case 'PlannedFailover':
      if (!directionMatches(s, e.direction)) return reject(s, `Failover must run in the replication direction '${s.replicationDirection}'.`);
      return to(s, { protectionState: 'PlannedFailoverInitiated', failoverCommitted: false });
    case 'UnplannedFailover':
      if (!directionMatches(s, e.direction)) return reject(s, `Failover must run in the replication direction '${s.replicationDirection}'.`);
      return to(s, { protectionState: 'UnplannedFailoverInitiated', failoverCommitted: false });
    case 'ChangePit':
      return to(s, { protectionState: 'ChangeRecoveryPointInitiated' });
    case 'Commit':
      return to(s, { protectionState: 'CommitFailoverInProgress' });
    case 'ReverseReplicate':
      if (e.direction !== 'RecoveryToPrimary') return reject(s, `Re-protect replicates from the recovery site back to the primary: failoverDirection must be 'RecoveryToPrimary'.`);
      return to(s, { protectionState: 'ReprotectInitiated' });
    case 'RepairReplication':
      return to(s, { protectionState: 'ResynchronizationInProgress' });
    case 'DisableProtection':
      return to(s, { protectionState: 'DisablingProtection' });
  }
}

/** The failed-over state a failover in progress ends in, or `undefined` when none is in progress. */
function failoverCompletedState(s: ProtectionState): ProtectionState | undefined {
  if (s === 'PlannedFailoverInitiated') return 'PlannedFailoverCompleted';
  if (s === 'UnplannedFailoverInitiated') return 'UnplannedFailoverCompleted';
  return undefined;
}

function applyOutcome(s: ProtectionSnapshot, e: OutcomeEvent): TransitionResult {
  const st = s.protectionState;
  const unexpected = (): TransitionResult => reject(s, `Outcome '${e.type}' does not apply to state '${describe(s)}'.`);
  switch (e.type) {
    case 'ProtectionEnabled':
      return st === 'EnablingProtection' ? to(s, { protectionState: 'InitialReplicationInProgress' }) : unexpected();
    case 'EnableFailed':
      return st === 'EnablingProtection' ? to(s, { protectionState: 'EnablingFailed' }) : unexpected();
    case 'InitialReplicationCompleted':
      return st === 'InitialReplicationInProgress' ? to(s, { protectionState: 'Protected' }) : unexpected();
    case 'InitialReplicationFailed':
      return st === 'InitialReplicationInProgress' ? to(s, { protectionState: 'InitialReplicationFailed' }) : unexpected();
    case 'ResynchronizationCompleted':
      return st === 'ResynchronizationInProgress' ? to(s, { protectionState: 'Protected' }) : unexpected();
    case 'ResynchronizationFailed':
      return st === 'ResynchronizationInProgress' ? to(s, { protectionState: 'InitialReplicationFailed' }) : unexpected();
    case 'TestFailoverCompleted':
      return s.testFailoverState === 'TestFailoverInitiated' ? to(s, { testFailoverState: 'TestFailoverCompleted' }) : unexpected();
    case 'TestFailoverFailed':
      return s.testFailoverState === 'TestFailoverInitiated' ? to(s, { testFailoverState: 'TestFailoverFailed' }) : unexpected();
    case 'TestFailoverCleanedUp':
      return s.testFailoverState === 'TestFailoverCleanupInitiated' ? to(s, { testFailoverState: 'None' }) : unexpected();
    case 'FailoverCompleted': {
      const done = failoverCompletedState(st);
      if (!done) return unexpected();
      return to(s, { protectionState: done, activeLocation: targetLocationOf(s.replicationDirection) });
    }
    case 'FailoverFailed':
      if (st === 'PlannedFailoverInitiated') return to(s, { protectionState: 'PlannedFailoverFailed' });
      if (st === 'UnplannedFailoverInitiated') return to(s, { protectionState: 'UnplannedFailoverFailed' });
      return unexpected();
    case 'RecoveryPointChanged':
      return st === 'ChangeRecoveryPointInitiated' ? to(s, { protectionState: 'UnplannedFailoverCompleted' }) : unexpected();
    case 'CommitCompleted':
      if (st !== 'CommitFailoverInProgress') return unexpected();
      if (s.replicationDirection === 'RecoveryToPrimary') {
        // Failback committed: protection resumes in the original direction by itself.
        return to(s, {
          protectionState: 'InitialReplicationInProgress',
          replicationDirection: 'PrimaryToRecovery',
          failoverCommitted: true,
        });
      }
      return to(s, { protectionState: 'CommitFailoverCompleted', failoverCommitted: true });
    case 'CommitFailed':
      return st === 'CommitFailoverInProgress' ? to(s, { protectionState: 'CommitFailoverFailed' }) : unexpected();
    case 'ReprotectStarted':
      return st === 'ReprotectInitiated'
        ? to(s, {
            protectionState: 'InitialReplicationInProgress',
            replicationDirection: opposite(s.replicationDirection),
            failoverCommitted: true,
          })
        : unexpected();
    case 'ReprotectFailed':
      return st === 'ReprotectInitiated' ? to(s, { protectionState: 'ReprotectFailed' }) : unexpected();
    case 'DisableFailed':
      return st === 'DisablingProtection' ? to(s, { protectionState: 'DisablingFailed' }) : unexpected();
  }
}

const COMMANDS: ReadonlySet<string> = new Set<CommandEvent['type']>([
  'TestFailover',
  'TestFailoverCleanup',
  'PlannedFailover',
  'UnplannedFailover',
  'ChangePit',
  'Commit',
  'ReverseReplicate',
  'RepairReplication',
  'DisableProtection',
]);

const isCommand = (e: ProtectionEvent): e is CommandEvent => COMMANDS.has(e.type);

/** Applies an event to a state. Pure: no I/O, no clock. */
export function transition(s: ProtectionSnapshot, e: ProtectionEvent): TransitionResult {
  return isCommand(e) ? applyCommand(s, e) : applyOutcome(s, e);
}

/** A short description of the state for messages. */
export function describe(s: ProtectionSnapshot): string {
  return s.testFailoverState === 'None' ? s.protectionState : `${s.protectionState}, ${s.testFailoverState}`;
}
