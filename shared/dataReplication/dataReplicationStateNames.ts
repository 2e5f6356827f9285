/**
 * The item's state in DataReplication's vocabulary (`ProtectionState`, `TestFailoverState`,
 * `ResynchronizationState`), from the same snapshot the ASR view names with `asrStateNames`. The
 * descriptions are ASR's, so both views describe the item in the same words. Pure.
 *
 * The machine's state names are DataReplication's own, except where DataReplication says more:
 * commit and cancel of a failover name the side they run on (`…OnRecovery` for a failover to the
 * recovery site, `…OnPrimary` for a failback); a resynchronization is `Protected` with a
 * `ResynchronizationInitiated` resynchronization state; a test VM waiting for cleanup is
 * `TestFailoverCompleted`.
 */
import { asrStateNames } from '../domain/asrStateNames.js';
import { targetLocationOf, type ProtectionSnapshot } from '../domain/protectionState.js';

export interface DataReplicationStateNames {
  protectionState: string;
  protectionStateDescription: string;
  testFailoverState: string;
  testFailoverStateDescription: string;
  resynchronizationState: 'None' | 'ResynchronizationInitiated';
}

/** States whose DataReplication name ends with the side the operation runs on. */
const BY_SIDE: Readonly<Record<string, string>> = {
  CommitFailoverInProgress: 'CommitFailoverInProgressOn',
  CommitFailoverFailed: 'CommitFailoverFailedOn',
  CancelFailoverInProgress: 'CancelFailoverInProgressOn',
  CancelFailoverFailed: 'CancelFailoverFailedOn',
};

/** Test failover states DataReplication names differently. */
const TEST_FAILOVER: Readonly<Record<string, string>> = {
  WaitingForCompletion: 'TestFailoverCompleted',
};

export function dataReplicationStateNames(s: ProtectionSnapshot): DataReplicationStateNames {
  const names = asrStateNames(s);
  const resynchronizing = s.protectionState === 'ResynchronizationInProgress';
  const sided = BY_SIDE[s.protectionState];
  const protectionState = resynchronizing ? 'Protected' : sided ? sided + targetLocationOf(s.replicationDirection) : s.protectionState;
  return {
    protectionState,
    protectionStateDescription: names.protectionStateDescription,
    testFailoverState: TEST_FAILOVER[s.testFailoverState] ?? s.testFailoverState,
    testFailoverStateDescription: names.testFailoverStateDescription,
    resynchronizationState: resynchronizing ? 'ResynchronizationInitiated' : 'None',
  };
}
