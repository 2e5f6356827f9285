/**
 * Re-protect: commits a failover not yet committed, checks (or recreates) the original VM and its
 * disks, and replicates the recovery VM back into them, sending only chunks whose hashes differ; the
 * job follows the resync until the item is Protected in the reverse direction.
 */
import { PermanentError } from '../../errors/PermanentError.js';
import type { ItemWorkflow } from '../itemWorkflow.js';

export const reprotectWorkflow: ItemWorkflow = {
  kind: 'reprotect',
  tasks: [
    { name: 'Committing the failover', runs: ['unpinVmPoint'] },
    { name: 'Checking the original site, virtual machine and disks', runs: ['prepareOriginalVm'] },
    { name: 'Starting replication to the original site', runs: ['report'] },
    { name: 'Synchronizing the changes back to the original site', runs: ['awaitProtected'] },
  ],
  failure: { type: 'ReprotectFailed' },
  interrupted: (state) => new PermanentError(`Re-protect stopped in state '${state}'.`, { code: 'ReprotectInterrupted' }),
};
