/**
 * Cancel failover: an uncommitted failover is undone. The VM made at the recovery site is discarded
 * with what it wrote, the original VM gets its disks back and runs at the primary site again, and
 * replication resumes with a resync (every chunk compared by hash) before the item is Protected.
 */
import type { ItemWorkflow } from '../itemWorkflow.js';

export const cancelFailoverWorkflow: ItemWorkflow = {
  kind: 'cancelFailover',
  tasks: [
    { name: 'Deleting the virtual machine at the recovery site', runs: ['deleteVm', 'unpinVmPoint'] },
    { name: 'Starting the virtual machine at the primary site', runs: ['unfenceSource', 'startSourceVm'] },
    { name: 'Resuming replication', runs: ['report'] },
    { name: 'Resynchronizing the replica disks', runs: ['awaitProtected'] },
  ],
  failure: { type: 'FailoverCancelFailed' },
  reportPatch: () => () => ({ recoveryVm: undefined, failoverRecoveryPointId: undefined }),
};
