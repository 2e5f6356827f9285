/**
 * Which operations a protected item's state allows, as ASR lists them in `allowedOperations` and in
 * ASR's order: Protected → PlannedFailover, UnplannedFailover, DisableProtection, TestFailover;
 * failed over, not committed → Commit, DisableProtection, ChangePit; committed → ReverseReplicate,
 * DisableProtection; during a test failover → TestFailoverCleanup. Beyond ASR's lists: repair while
 * Protected, re-protect before commit (it commits first), Failback beside PlannedFailover after
 * re-protect, and CancelFailover of an uncommitted failover (the VM goes back to the primary). Pure.
 */
import { testFailoverIdle, type Operation, type ProtectionSnapshot, type ProtectionState } from './protectionState.js';

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
  'PlannedFailoverCompleted',
  'UnplannedFailoverCompleted',
  'CommitFailoverFailed',
  'CommitFailoverCompleted',
  'ReprotectFailed',
  'DisablingFailed',
]);

/** The failover operations of a direction: failback is a planned failover back to the primary. */
const failoverOps = (forward: boolean): Operation[] => (forward ? ['PlannedFailover', 'UnplannedFailover'] : ['PlannedFailover', 'Failback', 'UnplannedFailover']);

/** Operations the state allows, in ASR's enum strings and order. */
export function allowedOperations(s: ProtectionSnapshot): Operation[] {
  const forward = s.replicationDirection === 'PrimaryToRecovery';
  const idle = testFailoverIdle(s);
  const st = s.protectionState;
  if (!idle) {
    const ops: Operation[] = [];
    if (s.testFailoverState === 'WaitingForCompletion' || s.testFailoverState === 'TestFailoverFailed') ops.push('TestFailoverCleanup');
    if (s.testFailoverState === 'TestFailoverFailed' && DISABLEABLE.has(st)) ops.push('DisableProtection');
    return ops;
  }
  const ops: Operation[] = [];
  if (st === 'Protected' || FAILOVER_RETRYABLE.has(st)) ops.push(...failoverOps(forward));
  if (FAILED_OVER.has(st) && !s.failoverCommitted) ops.push('Commit');
  if (st === 'CommitFailoverFailed') ops.push('Commit');
  if (st === 'CommitFailoverCompleted' || st === 'ReprotectFailed') ops.push('ReverseReplicate');
  if (DISABLEABLE.has(st)) ops.push('DisableProtection');
  if (st === 'Protected' && forward) ops.push('TestFailover');
  if (FAILED_OVER.has(st) && !s.failoverCommitted && forward) ops.push('ChangePit', 'ReverseReplicate', 'CancelFailover');
  if (st === 'Protected' || st === 'InitialReplicationFailed') ops.push('RepairReplication');
  return ops;
}
