/** Which operations a protected item's state allows, as ASR lists them in `allowedOperations`. Pure. */
import type { Operation, ProtectionSnapshot, ProtectionState } from './protectionState.js';

const FAILED_OVER: ReadonlySet<ProtectionState> = new Set(['PlannedFailoverCompleted', 'UnplannedFailoverCompleted']);
const FAILOVER_RETRYABLE: ReadonlySet<ProtectionState> = new Set(['PlannedFailoverFailed', 'UnplannedFailoverFailed']);
const DISABLEABLE: ReadonlySet<ProtectionState> = new Set([
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
]);

/** Operations the state allows, in ASR's enum strings. */
export function allowedOperations(s: ProtectionSnapshot): Operation[] {
  const ops: Operation[] = [];
  const testIdle = s.testFailoverState === 'None';
  const forward = s.replicationDirection === 'PrimaryToRecovery';
  if (s.protectionState === 'Protected' && testIdle) {
    if (forward) ops.push('TestFailover', 'PlannedFailover', 'UnplannedFailover');
    else ops.push('Failback', 'UnplannedFailover');
  }
  if (FAILOVER_RETRYABLE.has(s.protectionState)) ops.push(forward ? 'PlannedFailover' : 'Failback', 'UnplannedFailover');
  if (s.testFailoverState === 'TestFailoverCompleted' || s.testFailoverState === 'TestFailoverFailed') ops.push('TestFailoverCleanup');
  if (FAILED_OVER.has(s.protectionState) && !s.failoverCommitted) ops.push('Commit', 'ChangePit');
  if (s.protectionState === 'CommitFailoverFailed') ops.push('Commit');
  if ((FAILED_OVER.has(s.protectionState) && forward) || s.protectionState === 'CommitFailoverCompleted' || s.protectionState === 'ReprotectFailed') {
    ops.push('ReverseReplicate');
  }
  if ((s.protectionState === 'Protected' && testIdle) || s.protectionState === 'InitialReplicationFailed') ops.push('RepairReplication');
  if (canDisable(s)) ops.push('DisableProtection');
  return ops;
}

function canDisable(s: ProtectionSnapshot): boolean {
  if (s.testFailoverState !== 'None' && s.testFailoverState !== 'TestFailoverFailed') return false;
  return DISABLEABLE.has(s.protectionState);
}
