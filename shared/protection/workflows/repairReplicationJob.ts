/**
 * Repair replication: admission restarted the item's chain with a resync (every chunk of source and
 * replica compared by hash, only what differs copied); the job starts the chain and completes when
 * the item is Protected again.
 */
import { PermanentError } from '../../errors/PermanentError.js';
import type { ItemWorkflow } from '../itemWorkflow.js';

export const repairReplicationWorkflow: ItemWorkflow = {
  kind: 'repairReplication',
  tasks: [
    { name: 'Starting resynchronization', runs: ['resumeReplication'] },
    { name: 'Resynchronizing the replica disks', runs: ['awaitProtected'] },
  ],
  restartable: false,
  interrupted: (state) =>
    new PermanentError(`Resynchronization ended in state '${state}'.`, {
      code: 'ResynchronizationFailed',
      recommendedAction: "Check both sites' storage and run Repair replication again.",
    }),
};
