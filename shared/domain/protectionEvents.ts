/** The events the protection machine takes: commands an operator sends, outcomes a job reports. */
import type { RecoveryPointChoice } from './recoveryPointChoice.js';
import type { FailoverDirection } from './protectionState.js';

/**
 * Commands a user sends. A missing `direction` is the item's replication direction (test failover:
 * `PrimaryToRecovery`; re-protect: `RecoveryToPrimary`); a missing `choice` is `Latest`.
 */
export type CommandEvent =
  | { type: 'TestFailover'; direction?: FailoverDirection; choice?: RecoveryPointChoice; networkId?: string }
  | { type: 'TestFailoverCleanup' }
  | {
      type: 'PlannedFailover';
      direction?: FailoverDirection;
      /** Failback to another Hyper-V site of the vault. */
      alternateFabricName?: string;
      /** Failback: sync while the VM runs, then the delta (`ForSynchronization`, the default), or all by hash once it is down (`ForDownTime`). */
      dataSyncOption?: 'ForDownTime' | 'ForSynchronization';
      /** Failback: start the original VM even when re-protect had to recreate it (`CreateVmIfNotFound`, the default), or refuse (`NoAction`). */
      recoveryVmCreationOption?: 'CreateVmIfNotFound' | 'NoAction';
    }
  | { type: 'UnplannedFailover'; direction?: FailoverDirection; sourceSiteOperations?: 'Required' | 'NotRequired'; choice?: RecoveryPointChoice }
  | { type: 'ChangePit'; choice?: RecoveryPointChoice }
  | { type: 'Commit' }
  /** Undo an uncommitted failover: the recovery VM is discarded and the VM runs at the primary again. */
  | { type: 'CancelFailover' }
  | { type: 'ReverseReplicate'; direction?: FailoverDirection }
  | { type: 'RepairReplication' }
  | { type: 'DisableProtection'; purge?: boolean };

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
  | { type: 'RecoveryPointChangeFailed' }
  | { type: 'CommitCompleted' }
  | { type: 'CommitFailed' }
  | { type: 'FailoverCancelled' }
  | { type: 'FailoverCancelFailed' }
  | { type: 'ReprotectStarted' }
  | { type: 'ReprotectFailed' }
  | { type: 'DisableFailed' };

export type ProtectionEvent = CommandEvent | OutcomeEvent;

const COMMANDS: ReadonlySet<string> = new Set<CommandEvent['type']>([
  'TestFailover',
  'TestFailoverCleanup',
  'PlannedFailover',
  'UnplannedFailover',
  'ChangePit',
  'Commit',
  'CancelFailover',
  'ReverseReplicate',
  'RepairReplication',
  'DisableProtection',
]);

export const isCommand = (e: ProtectionEvent): e is CommandEvent => COMMANDS.has(e.type);
