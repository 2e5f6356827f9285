/**
 * Disable protection: replication stops (in-flight chain messages become stale, a cycle in progress
 * is abandoned), the replicas with their snapshots, manifests and plans and the recovery point rows
 * are deleted in bounded steps, then the item row and the VM's protection mark go together. The
 * source VM and its disks are never touched.
 */
import type { ItemWorkflow } from '../itemWorkflow.js';

export const disableProtectionWorkflow: ItemWorkflow = {
  kind: 'disableProtection',
  tasks: [
    { name: 'Stopping replication', runs: ['stopReplication', 'endBackgroundJobs', 'unfenceSource'] },
    { name: 'Deleting replica disks and recovery points', runs: ['deleteReplicationData'] },
    { name: 'Removing the replication protected item', runs: ['removeItem'] },
  ],
  failure: { type: 'DisableFailed' },
};
