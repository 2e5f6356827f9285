/**
 * The protected item's state machine: a pure transition table.
 *
 * `transition(state, event)` never performs I/O. For a command it returns the next state and the
 * plan of effects the command's job carries out, step by step; for an outcome (a job reporting
 * success or failure) the next state and the effects that go with it. It refuses an event with a
 * typed rejection naming the operations the state allows. Every rule about which operation is
 * allowed when, and in which direction, lives here.
 */
import { allowedOperations } from './allowedOperations.js';
import type { ProtectionEffect } from './protectionEffects.js';
import { isCommand, type CommandEvent, type OutcomeEvent, type ProtectionEvent } from './protectionEvents.js';
import { describe } from './asrStateNames.js';
import { opposite, targetLocationOf, type FailoverDirection, type Operation, type ProtectionSnapshot, type ProtectionState } from './protectionState.js';
import type { RecoveryPointChoice } from './recoveryPointChoice.js';

/**
 * An accepted event: the next state; the effects applied with it (in the same write); and, for a
 * command, the plan its job carries out.
 */
export interface Transition {
  ok: true;
  next: ProtectionSnapshot;
  effects: ProtectionEffect[];
  plan: ProtectionEffect[];
  /** The command changes nothing (a re-protect the way the item already replicates): its job succeeds at once. */
  noop?: true;
}

/**
 * A refused event. `notAllowed`: the state does not allow the operation (the answer lists what it
 * allows); `wrongDirection`: the operation exists but not in the direction asked for (`field` names
 * the request field, when one is to blame).
 */
export interface Rejection {
  ok: false;
  kind: 'notAllowed' | 'wrongDirection';
  reason: string;
  allowedOperations: Operation[];
  field?: string;
}

export type TransitionResult = Transition | Rejection;

const DIRECTION_FIELD = 'properties.failoverDirection';
const LATEST_PROCESSED: RecoveryPointChoice = { kind: 'LatestProcessed' };

const reject = (s: ProtectionSnapshot, reason: string, kind: Rejection['kind'] = 'notAllowed', field?: string): Rejection => ({
  ok: false,
  kind,
  reason,
  allowedOperations: allowedOperations(s),
  ...(field ? { field } : {}),
});

const to = (s: ProtectionSnapshot, patch: Partial<ProtectionSnapshot>, effects: ProtectionEffect[] = [], plan: ProtectionEffect[] = []): Transition => ({
  ok: true,
  next: { ...s, ...patch },
  effects,
  plan,
});

/** A command's transition: its job's plan, and nothing applied with the state change. */
const planned = (s: ProtectionSnapshot, patch: Partial<ProtectionSnapshot>, plan: ProtectionEffect[]): Transition => to(s, patch, [], plan);

/** The direction a failover-family command runs in: the one it names, else the item's replication direction. */
export function failoverDirectionOf(s: ProtectionSnapshot, requested: FailoverDirection | undefined): FailoverDirection {
  return requested ?? s.replicationDirection;
}

/** Maps a command to the operation name ASR lists in `allowedOperations`. */
export function operationOf(event: CommandEvent, s?: ProtectionSnapshot): Operation {
  if (event.type === 'PlannedFailover') {
    const direction = s ? failoverDirectionOf(s, event.direction) : (event.direction ?? 'PrimaryToRecovery');
    return direction === 'RecoveryToPrimary' ? 'Failback' : 'PlannedFailover';
  }
  return event.type;
}

/**
 * The point a failover uses: `Latest` first replicates what is pending (a fresh point), then takes
 * the newest point; without a source to replicate from it is the latest processed point.
 */
function pointSteps(choice: RecoveryPointChoice, direction: FailoverDirection, canSync: boolean): ProtectionEffect[] {
  if (choice.kind !== 'Latest') return [{ type: 'pinPoint', choice, direction }];
  return [...(canSync ? [{ type: 'awaitFreshPoint' } as const] : []), { type: 'pinPoint', choice: LATEST_PROCESSED, direction }];
}

interface FailoverOptions {
  shutdown: boolean;
  choice: RecoveryPointChoice;
  alternateFabricName?: string;
  dataSyncOption?: 'ForDownTime' | 'ForSynchronization';
  startRecreatedVm?: boolean;
}

/**
 * The plan of a planned or unplanned failover in `direction`. A failback syncs while the recovery VM
 * still runs and then only the delta (ASR's `ForSynchronization`), or, for `ForDownTime`, compares
 * every chunk by hash once the VM is down.
 */
function failoverPlan(direction: FailoverDirection, options: FailoverOptions): ProtectionEffect[] {
  const forward = direction === 'PrimaryToRecovery';
  const fullSync = !forward && options.dataSyncOption === 'ForDownTime';
  const sync: ProtectionEffect[] = pointSteps(options.choice, direction, options.shutdown).map((effect) =>
    effect.type === 'awaitFreshPoint' && fullSync ? { type: 'awaitFreshPoint', resync: true } : effect,
  );
  return [
    ...(forward ? [{ type: 'warnIfNotDrilled' } as const] : []),
    ...(!forward && options.shutdown && !fullSync ? [{ type: 'presyncChanges' } as const] : []),
    ...(options.shutdown ? [{ type: 'shutDownVm', vm: forward ? 'source' : 'recovery' } as const] : []),
    ...sync,
    { type: 'stopReplication' },
    ...(forward ? [{ type: 'fenceSource' } as const] : []),
    forward
      ? { type: 'createRecoveryVm', purpose: 'failover' }
      : options.alternateFabricName
        ? { type: 'createVmAtAlternateSite', fabricName: options.alternateFabricName }
        : { type: 'restorePrimaryVm', startRecreatedVm: options.startRecreatedVm ?? true },
    { type: 'report', outcome: { type: 'FailoverCompleted' } },
  ];
}

/** Replicating the way it was set up, and idle: a re-protect that way changes nothing. */
const replicatingForward = (s: ProtectionSnapshot): boolean =>
  s.replicationDirection === 'PrimaryToRecovery' &&
  (s.protectionState === 'Protected' || s.protectionState === 'InitialReplicationInProgress' || s.protectionState === 'ResynchronizationInProgress');

/** Failover-family commands run the way data replicates (a failback is a planned failover after re-protect). */
function checkFailoverDirection(s: ProtectionSnapshot, requested: FailoverDirection | undefined): Rejection | undefined {
  if (failoverDirectionOf(s, requested) === s.replicationDirection) return undefined;
  return reject(
    s,
    `Invalid value for '${DIRECTION_FIELD}': the item replicates ${s.replicationDirection}, so it can only fail over in that direction.`,
    'wrongDirection',
    DIRECTION_FIELD,
  );
}

function applyCommand(s: ProtectionSnapshot, e: CommandEvent): TransitionResult {
  if (e.type === 'PlannedFailover' || e.type === 'UnplannedFailover') {
    const wrong = checkFailoverDirection(s, e.direction);
    if (wrong) return wrong;
  }
  if (e.type === 'ReverseReplicate' && e.direction === 'PrimaryToRecovery' && replicatingForward(s)) {
    // A script written for ASR re-protects after a failback's commit; here protection has resumed by itself.
    return { ok: true, next: s, effects: [], plan: [], noop: true };
  }
  const op = operationOf(e, s);
  if (!allowedOperations(s).includes(op)) {
    return reject(s, `The operation '${op}' is not allowed while the item is in state '${describe(s)}'.`);
  }
  switch (e.type) {
    case 'TestFailover': {
      const direction = e.direction ?? 'PrimaryToRecovery';
      if (direction !== s.replicationDirection) return reject(s, `Test failover must run in the replication direction '${s.replicationDirection}'.`);
      return planned(s, { testFailoverState: 'TestFailoverInitiated' }, [
        ...pointSteps(e.choice ?? { kind: 'Latest' }, direction, true),
        { type: 'createRecoveryVm', purpose: 'test', ...(e.networkId ? { networkId: e.networkId } : {}) },
        { type: 'report', outcome: { type: 'TestFailoverCompleted' } },
      ]);
    }
    case 'TestFailoverCleanup':
      return planned(s, { testFailoverState: 'TestFailoverCleanupInitiated' }, [
        { type: 'deleteVm', vm: 'test' },
        { type: 'unpinVmPoint', vm: 'test' },
        { type: 'report', outcome: { type: 'TestFailoverCleanedUp' } },
      ]);
    case 'PlannedFailover': {
      const direction = failoverDirectionOf(s, e.direction);
      const plan = failoverPlan(direction, {
        shutdown: true,
        choice: { kind: 'Latest' },
        ...(e.alternateFabricName ? { alternateFabricName: e.alternateFabricName } : {}),
        ...(e.dataSyncOption ? { dataSyncOption: e.dataSyncOption } : {}),
        startRecreatedVm: e.recoveryVmCreationOption !== 'NoAction',
      });
      return planned(s, { protectionState: 'PlannedFailoverInitiated', failoverCommitted: false, lastFailover: 'Planned' }, plan);
    }
    case 'UnplannedFailover': {
      const direction = failoverDirectionOf(s, e.direction);
      const plan = failoverPlan(direction, { shutdown: e.sourceSiteOperations === 'Required', choice: e.choice ?? { kind: 'Latest' } });
      return planned(s, { protectionState: 'UnplannedFailoverInitiated', failoverCommitted: false, lastFailover: 'Unplanned' }, plan);
    }
    case 'ChangePit':
      if (s.replicationDirection !== 'PrimaryToRecovery') {
        return reject(s, 'Changing the recovery point applies to a failover to the recovery site, not to a failback.', 'wrongDirection');
      }
      return planned(s, { protectionState: 'ChangeRecoveryPointInitiated' }, [
        { type: 'pinPoint', choice: e.choice ?? { kind: 'Latest' }, direction: 'PrimaryToRecovery' },
        { type: 'deleteVm', vm: 'replacedRecovery' },
        { type: 'unpinVmPoint', vm: 'replacedRecovery' },
        { type: 'createRecoveryVm', purpose: 'failover' },
        { type: 'report', outcome: { type: 'RecoveryPointChanged' } },
      ]);
    case 'Commit':
      return planned(s, { protectionState: 'CommitFailoverInProgress' }, [
        { type: 'unpinVmPoint', vm: 'recovery' },
        // After failback the VM at the recovery site is no longer needed.
        ...(s.replicationDirection === 'RecoveryToPrimary' ? [{ type: 'deleteVm', vm: 'recovery' } as const] : []),
        { type: 'report', outcome: { type: 'CommitCompleted' } },
      ]);
    case 'CancelFailover':
      // The source's disks were held untouched since the failover; a resync by hash then proves the replica against them.
      return planned(s, { protectionState: 'CancelFailoverInProgress' }, [
        { type: 'deleteVm', vm: 'recovery' },
        { type: 'unpinVmPoint', vm: 'recovery' },
        { type: 'unfenceSource' },
        { type: 'startSourceVm' },
        { type: 'report', outcome: { type: 'FailoverCancelled' } },
        { type: 'awaitProtected' },
      ]);
    case 'ReverseReplicate':
      if ((e.direction ?? 'RecoveryToPrimary') !== 'RecoveryToPrimary') {
        return reject(s, `Re-protect replicates from the recovery site back to the primary: failoverDirection must be 'RecoveryToPrimary'.`);
      }
      return planned(s, { protectionState: 'ReprotectInitiated' }, [
        // Re-protect commits a failover not yet committed: its point is no longer needed.
        ...(s.failoverCommitted ? [] : [{ type: 'unpinVmPoint', vm: 'recovery' } as const]),
        { type: 'prepareOriginalVm' },
        { type: 'report', outcome: { type: 'ReprotectStarted' } },
        { type: 'awaitProtected' },
      ]);
    case 'RepairReplication':
      // Replication restarts with the state change, so no cycle of the old chain can end the resync.
      return to(s, { protectionState: 'ResynchronizationInProgress' }, [{ type: 'startReplication', resync: true }], [{ type: 'resumeReplication' }, { type: 'awaitProtected' }]);
    case 'DisableProtection':
      return planned(s, { protectionState: 'DisablingProtection' }, [
        { type: 'stopReplication' },
        { type: 'endBackgroundJobs' },
        // While the VM runs at the recovery site the service holds the original disks: they go back to their host.
        ...(s.activeLocation === 'Recovery' ? [{ type: 'unfenceSource' } as const] : []),
        { type: 'deleteReplicationData' },
        { type: 'removeItem' },
      ]);
  }
}

/** The failed-over state a failover in progress ends in. */
const FAILOVER_DONE: Partial<Record<ProtectionState, ProtectionState>> = {
  PlannedFailoverInitiated: 'PlannedFailoverCompleted',
  UnplannedFailoverInitiated: 'UnplannedFailoverCompleted',
};
const FAILOVER_FAILED: Partial<Record<ProtectionState, ProtectionState>> = {
  PlannedFailoverInitiated: 'PlannedFailoverFailed',
  UnplannedFailoverInitiated: 'UnplannedFailoverFailed',
};

/** The failed-over state a change of recovery point returns to: the one its failover left. */
const failedOverState = (s: ProtectionSnapshot): ProtectionState => (s.lastFailover === 'Planned' ? 'PlannedFailoverCompleted' : 'UnplannedFailoverCompleted');

const released: ProtectionEffect[] = [{ type: 'releaseItem' }];
const failed: ProtectionEffect[] = [{ type: 'releaseItem' }, { type: 'releaseJobPoint' }];

function applyOutcome(s: ProtectionSnapshot, e: OutcomeEvent): TransitionResult {
  const st = s.protectionState;
  const tfo = s.testFailoverState;
  const unexpected = (): TransitionResult => reject(s, `Outcome '${e.type}' does not apply to state '${describe(s)}'.`);
  const when = (ok: boolean, patch: Partial<ProtectionSnapshot>, effects: ProtectionEffect[] = []): TransitionResult => (ok ? to(s, patch, effects) : unexpected());
  switch (e.type) {
    case 'ProtectionEnabled':
      return when(st === 'EnablingProtection', { protectionState: 'InitialReplicationInProgress' }, [{ type: 'startReplication', resync: false }]);
    case 'EnableFailed':
      return when(st === 'EnablingProtection', { protectionState: 'EnablingFailed' }, released);
    case 'InitialReplicationCompleted':
      return when(st === 'InitialReplicationInProgress', { protectionState: 'Protected' });
    case 'InitialReplicationFailed':
      return when(st === 'InitialReplicationInProgress', { protectionState: 'InitialReplicationFailed' }, [{ type: 'stopReplication' }, ...released]);
    case 'ResynchronizationCompleted':
      return when(st === 'ResynchronizationInProgress', { protectionState: 'Protected' });
    case 'ResynchronizationFailed':
      return when(st === 'ResynchronizationInProgress', { protectionState: 'InitialReplicationFailed' }, [{ type: 'stopReplication' }, ...released]);
    case 'TestFailoverCompleted':
      return when(tfo === 'TestFailoverInitiated', { testFailoverState: 'WaitingForCompletion' }, released);
    case 'TestFailoverFailed':
      return when(tfo === 'TestFailoverInitiated', { testFailoverState: 'TestFailoverFailed' }, failed);
    case 'TestFailoverCleanedUp':
      return when(tfo === 'TestFailoverCleanupInitiated', { testFailoverState: 'MarkedForDeletion' }, released);
    case 'FailoverCompleted': {
      const done = FAILOVER_DONE[st];
      return done ? to(s, { protectionState: done, activeLocation: targetLocationOf(s.replicationDirection) }, released) : unexpected();
    }
    case 'FailoverFailed': {
      const failedState = FAILOVER_FAILED[st];
      return failedState ? to(s, { protectionState: failedState }, failed) : unexpected();
    }
    case 'RecoveryPointChanged':
      return when(st === 'ChangeRecoveryPointInitiated', { protectionState: failedOverState(s) }, released);
    case 'RecoveryPointChangeFailed':
      return when(st === 'ChangeRecoveryPointInitiated', { protectionState: failedOverState(s) }, failed);
    case 'CommitCompleted':
      if (st !== 'CommitFailoverInProgress') return unexpected();
      if (s.replicationDirection === 'RecoveryToPrimary') {
        // Failback committed: protection resumes in the original direction by itself.
        return to(s, { protectionState: 'InitialReplicationInProgress', replicationDirection: 'PrimaryToRecovery', failoverCommitted: true }, [
          { type: 'startReplication', resync: true },
          ...released,
        ]);
      }
      return to(s, { protectionState: 'CommitFailoverCompleted', failoverCommitted: true }, released);
    case 'CommitFailed':
      return when(st === 'CommitFailoverInProgress', { protectionState: 'CommitFailoverFailed' }, failed);
    case 'FailoverCancelled':
      return when(st === 'CancelFailoverInProgress', { protectionState: 'ResynchronizationInProgress', activeLocation: 'Primary' }, [{ type: 'startReplication', resync: true }]);
    case 'FailoverCancelFailed':
      return when(st === 'CancelFailoverInProgress', { protectionState: failedOverState(s) }, failed);
    case 'ReprotectStarted':
      return when(
        st === 'ReprotectInitiated',
        { protectionState: 'InitialReplicationInProgress', replicationDirection: opposite(s.replicationDirection), failoverCommitted: true },
        [{ type: 'startReplication', resync: true }],
      );
    case 'ReprotectFailed':
      return when(st === 'ReprotectInitiated', { protectionState: 'ReprotectFailed' }, failed);
    case 'DisableFailed':
      return when(st === 'DisablingProtection', { protectionState: 'DisablingFailed' }, released);
  }
}

/**
 * What a replication cycle's new recovery point means for the item: the first point completes
 * initial replication, the first after a resync completes the resync; in any other state the item
 * stays as it is.
 */
export function pointRecorded(s: ProtectionSnapshot): ProtectionSnapshot {
  const event: OutcomeEvent | undefined =
    s.protectionState === 'InitialReplicationInProgress'
      ? { type: 'InitialReplicationCompleted' }
      : s.protectionState === 'ResynchronizationInProgress'
        ? { type: 'ResynchronizationCompleted' }
        : undefined;
  const moved = event ? applyOutcome(s, event) : undefined;
  return moved?.ok ? moved.next : s;
}

/** Applies an event to a state. Pure: no I/O, no clock. */
export function transition(s: ProtectionSnapshot, e: ProtectionEvent): TransitionResult {
  return isCommand(e) ? applyCommand(s, e) : applyOutcome(s, e);
}
