/** Change of recovery point before commit: the failed-over VM is replaced by one made from another point. */
import type { ItemWorkflow } from '../itemWorkflow.js';
import { decided } from './workflowData.js';

export const changeRecoveryPointWorkflow: ItemWorkflow = {
  kind: 'changeRecoveryPoint',
  tasks: [
    { name: 'Choosing and locking the recovery point', runs: ['pinPoint'] },
    { name: 'Deleting the virtual machine created from the previous point', runs: ['deleteVm', 'unpinVmPoint'] },
    { name: 'Starting the virtual machine from the chosen point', runs: ['createRecoveryVm'] },
    { name: 'Completing the change of recovery point', runs: ['report'] },
  ],
  failure: { type: 'RecoveryPointChangeFailed' },
  reportPatch(env) {
    const vmId = decided(env.data.vmId, 'virtual machine from the chosen point');
    const pointId = decided(env.data.pointId, 'recovery point');
    return (item) => ({ recoveryVm: { vmId, name: item.recovery.vmName, pointId, pointsKey: item.itemKey, pinnedBy: env.job.jobId }, failoverRecoveryPointId: pointId });
  },
};
