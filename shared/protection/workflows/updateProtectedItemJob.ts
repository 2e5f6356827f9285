/** Update of an item's recovery settings: written at admission; the job hands the item back to the background scenario it interrupted. */
import { isTerminal } from '../../jobs/jobModel.js';
import { vaultPartition } from '../../repos/partitions.js';
import type { ItemWorkflow } from '../itemWorkflow.js';

export const updateProtectedItemWorkflow: ItemWorkflow = {
  kind: 'updateProtectedItem',
  tasks: [
    {
      name: 'Update the virtual machine properties',
      async run(env) {
        const resume = env.input.resumeScenario;
        const resumed = resume ? await env.deps.plane.jobs.get(vaultPartition(env.vault), resume.jobId) : undefined;
        const back = resume && resumed && !isTerminal(resumed.value.state) ? resume : undefined;
        await env.updateItem((item) => (item.currentScenario?.jobId === env.job.jobId ? { ...item, currentScenario: back } : undefined));
        return { done: {} };
      },
    },
  ],
};
