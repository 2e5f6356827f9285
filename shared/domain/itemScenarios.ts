/**
 * The operations that hold a protected item (its `currentScenario`), and which of them another
 * operation may take over. Pure.
 *
 * Initial replication (`IrCompletion`) and repair (`RepairVMReplication`) run in the background: their
 * jobs only follow the replication chain, so an operation that the state machine allows may take the
 * item over from them.
 */
import type { CommandEvent } from './protectionEvents.js';
import type { ProtectionSnapshot } from './protectionState.js';

const INITIAL_REPLICATION: ReadonlySet<string> = new Set(['IrCompletion']);
const BACKGROUND: ReadonlySet<string> = new Set(['IrCompletion', 'RepairVMReplication']);
const NONE: ReadonlySet<string> = new Set();

/** Scenarios whose jobs only follow replication (a purge may end any of them). */
export const BACKGROUND_SCENARIOS = BACKGROUND;

/** An update of the item's recovery settings (not a machine event: it changes no state). */
export type SettingsUpdate = { type: 'UpdateSettings' };

/** The scenarios a command (or a settings update) may take the item over from. */
export function scenariosTakenOverBy(command: CommandEvent | SettingsUpdate): ReadonlySet<string> {
  switch (command.type) {
    case 'TestFailover':
    case 'TestFailoverCleanup':
    case 'PlannedFailover':
    case 'UnplannedFailover':
    case 'ChangePit':
    case 'Commit':
    case 'ReverseReplicate':
      return BACKGROUND;
    case 'DisableProtection':
      return command.purge ? BACKGROUND : INITIAL_REPLICATION;
    case 'UpdateSettings':
      return INITIAL_REPLICATION;
    case 'RepairReplication':
    case 'CancelFailover':
      return NONE;
  }
}

/**
 * Whether a background scenario is over although its job has not cleared it yet: the chain moved the
 * item out of the state the scenario waits on (its job notices on its next poll).
 */
export function scenarioIsOver(state: Pick<ProtectionSnapshot, 'protectionState'>, scenarioName: string): boolean {
  if (scenarioName === 'IrCompletion') return state.protectionState !== 'InitialReplicationInProgress';
  if (scenarioName === 'RepairVMReplication') return state.protectionState !== 'ResynchronizationInProgress';
  return false;
}
