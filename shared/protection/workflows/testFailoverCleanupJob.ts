/** Test failover cleanup: the test VM and its disks go, its point is released, and a completed drill is recorded. */
import type { ItemWorkflow } from '../itemWorkflow.js';

export const testFailoverCleanupWorkflow: ItemWorkflow = {
  kind: 'testFailoverCleanup',
  tasks: [
    { name: 'Deleting the test virtual machine', runs: ['deleteVm'] },
    { name: 'Completing the test failover cleanup', runs: ['unpinVmPoint', 'report'] },
  ],
  reportPatch() {
    const at = new Date().toISOString();
    // A cleanup after a test VM came up completes a drill.
    return (item) => ({ testVm: undefined, ...(item.testVm ? { lastSuccessfulTestFailoverTime: at } : {}) });
  },
};
