/** Test failover: a test VM comes up at the recovery site from the chosen point while replication goes on. */
import { effectsOf } from '../../domain/protectionEffects.js';
import type { ItemWorkflow } from '../itemWorkflow.js';
import { decided } from './workflowData.js';

export const testFailoverWorkflow: ItemWorkflow = {
  kind: 'testFailover',
  tasks: [
    { name: 'Synchronizing the pending changes', runs: ['awaitFreshPoint'] },
    { name: 'Choosing and locking the recovery point', runs: ['pinPoint'] },
    { name: 'Creating the test virtual machine', runs: ['createRecoveryVm'] },
    { name: 'Completing the test failover', runs: ['report'] },
  ],
  failure: { type: 'TestFailoverFailed' },
  reportPatch(env) {
    const vmId = decided(env.data.vmId, 'test virtual machine');
    const pointId = decided(env.data.pointId, 'recovery point');
    const networkId = effectsOf(env.input.plan, 'createRecoveryVm')[0]?.networkId;
    return (item) => ({
      testVm: { vmId, name: `${item.recovery.vmName}-test`, pointId, pointsKey: item.itemKey, pinnedBy: env.job.jobId, ...(networkId ? { networkId } : {}) },
    });
  },
};
