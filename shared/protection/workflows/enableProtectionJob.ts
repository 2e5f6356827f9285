/**
 * Enable protection's job: the item was created `EnablingProtection` at admission; the job checks the
 * VM at its site, prepares the recovery site, reports `ProtectionEnabled` (replication starts) in the
 * same transaction that creates the initial replication job, starts the chain and marks the VM
 * protected in the site's inventory.
 */
import { transition } from '../../domain/protectionMachine.js';
import { PermanentError } from '../../errors/PermanentError.js';
import { fabricPath } from '../../infra/fabrics.js';
import { protectionMarkAction } from '../../infra/siteInventory.js';
import { newJob } from '../../jobs/jobModel.js';
import { affectedObjectsOf } from '../itemJobSpec.js';
import { submitJob } from '../../jobs/submitJob.js';
import { vaultPartition } from '../../repos/partitions.js';
import type { ItemJobInput } from '../itemJobInput.js';
import { taskNamesOf, type ItemWorkflow } from '../itemWorkflow.js';
import { itemPathOf, itemRowName, PROTECTED_ITEM_ROW } from '../protectedItemRecord.js';
import { applyRecordEffects } from '../recordEffects.js';
import { kickReplication } from '../replicationControl.js';
import { initialReplicationWorkflow } from './initialReplicationJob.js';

export const enableProtectionWorkflow: ItemWorkflow = {
  kind: 'enableProtection',
  restartable: false,
  failure: { type: 'EnableFailed' },
  tasks: [
    {
      name: 'Prerequisites check for enabling protection',
      async run(env) {
        const item = (await env.item()).value;
        const vm = await env.deps.sites.hyperV(env.vault, item.fabricName).getVm(item.vmId);
        if (!vm) {
          throw new PermanentError(`VM ${JSON.stringify(item.friendlyName)} was not found at the Hyper-V site.`, {
            code: 'SourceVmNotFound',
            possibleCauses: 'The VM was removed from its host after the host reported it.',
            recommendedAction: 'Disable protection of the item; report the host inventory again and enable protection for a VM that exists.',
          });
        }
        const missing = item.disks.find((disk) => !vm.disks.some((candidate) => candidate.id === disk.diskId));
        if (missing) {
          throw new PermanentError(`Disk ${JSON.stringify(missing.name)} of VM ${JSON.stringify(item.friendlyName)} was not found at the Hyper-V site.`, {
            code: 'SourceDiskNotFound',
            recommendedAction: "Disable protection of the item and enable it again with the VM's current disks.",
          });
        }
        return { done: {} };
      },
    },
    {
      name: 'Identifying the replication target',
      async run(env) {
        const item = (await env.item()).value;
        await env.deps.sites.replicas(env.vault, item.recoveryFabricName).ensure();
        await env.deps.ready();
        return { done: {} };
      },
    },
    {
      name: 'Enable replication',
      async run(env) {
        const row = await env.item();
        const item = row.value;
        const moved = transition(item.state, { type: 'ProtectionEnabled' });
        if (!moved.ok) return { done: {} }; // enabled already (a re-run)
        const now = new Date();
        const input: ItemJobInput = { fabricName: item.fabricName, containerName: item.containerName, itemName: item.name, plan: [] };
        const irJob = newJob({
          kind: initialReplicationWorkflow.kind,
          vault: env.vault,
          scenarioName: 'IrCompletion',
          friendlyName: 'Finalize protection on the virtual machine',
          targetObjectId: env.job.targetObjectId,
          targetObjectName: env.job.targetObjectName,
          targetInstanceType: env.job.targetInstanceType,
          resultPath: env.job.resultPath,
          fabricId: fabricPath(env.vault, item.fabricName),
          affectedObjectDetails: affectedObjectsOf(item),
          input,
          tasks: taskNamesOf(initialReplicationWorkflow).map((name) => ({ name, taskType: 'JobTaskDetails' })),
          now,
        });
        const next = applyRecordEffects(
          {
            ...item,
            state: moved.next,
            currentScenario: { scenarioName: irJob.scenarioName, jobId: irJob.jobId, startTime: irJob.startTime },
            initialReplicationJobId: irJob.jobId,
            updatedAt: now.toISOString(),
          },
          moved.effects,
          env.job.jobId,
          now,
        );
        await submitJob(env.deps.plane, irJob, [{ action: 'replace', kind: PROTECTED_ITEM_ROW, name: itemRowName(item), value: next, etag: row.etag }]);
        return { done: {} };
      },
    },
    {
      name: 'Starting initial replication',
      async run(env) {
        const item = (await env.item()).value;
        if (item.replication.active && !item.replication.cycle && !item.replication.lastPointId) await kickReplication(env.deps, env.vault, item);
        return { done: {} };
      },
    },
    {
      name: 'Updating the provider states',
      async run(env) {
        const item = (await env.item()).value;
        await env.deps.plane.repository.transact(vaultPartition(env.vault), [protectionMarkAction(item.fabricName, item.vmId, itemPathOf(item))]);
        return { done: {} };
      },
    },
  ],
};
