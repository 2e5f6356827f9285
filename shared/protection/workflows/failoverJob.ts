/**
 * Planned and unplanned failover in either direction (failback is a planned failover from the
 * recovery site back to the primary): the VM comes up at the target from the chosen point, the
 * source fenced or shut down as the plan says.
 */
import { effectsOf } from '../../domain/protectionEffects.js';
import type { ItemWorkflow } from '../itemWorkflow.js';
import type { PrimaryVm } from '../protectedItemRecord.js';
import { decided } from './workflowData.js';

export const failoverWorkflow: ItemWorkflow = {
  kind: 'failover',
  tasks: [
    { name: 'Prerequisites check for failover', runs: ['warnIfNotDrilled', 'presyncChanges'] },
    { name: 'Shutting down the virtual machine at the source', runs: ['shutDownVm'] },
    { name: 'Synchronizing the final changes', runs: ['awaitFreshPoint'] },
    { name: 'Choosing and locking the recovery point', runs: ['pinPoint'] },
    { name: 'Stopping replication and fencing the source', runs: ['stopReplication', 'fenceSource'] },
    { name: 'Starting the virtual machine at the target', runs: ['createRecoveryVm', 'restorePrimaryVm', 'createVmAtAlternateSite'] },
    { name: 'Completing the failover', runs: ['report'] },
  ],
  failure: { type: 'FailoverFailed' },
  async reportPatch(env) {
    const at = new Date().toISOString();
    const vmId = decided(env.data.vmId, 'virtual machine at the target');
    const pointId = decided(env.data.pointId, 'recovery point');
    const toRecovery = effectsOf(env.input.plan, 'createRecoveryVm').length > 0;
    const alternate = effectsOf(env.input.plan, 'createVmAtAlternateSite')[0]?.fabricName;
    let primary: PrimaryVm | undefined;
    if (alternate) {
      // The VM now lives at the alternate site: protection resumes from there after commit.
      const created = await env.deps.sites.hyperV(env.vault, alternate).getVm(vmId);
      if (created) {
        primary = {
          fabricName: alternate,
          vmId: created.id,
          disks: created.disks.map((disk) => ({ diskId: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk, container: disk.container, blobName: disk.blobName })),
        };
      }
    }
    return (item) => ({
      lastSuccessfulFailoverTime: at,
      failoverRecoveryPointId: pointId,
      ...(toRecovery ? { recoveryVm: { vmId, name: item.recovery.vmName, pointId, pointsKey: item.itemKey, pinnedBy: env.job.jobId } } : {}),
      ...(primary ? { primary } : {}),
      // Back at the primary site: whether re-protect had recreated the VM matters no more.
      ...(toRecovery ? {} : { originalVmRecreated: undefined }),
    });
  },
};
