/**
 * Commit: what a failover kept until commit is released (its point; after failback, the VM at the
 * recovery site). A committed failback resumes protection towards the recovery site by itself.
 */
import { effectsOf } from '../../domain/protectionEffects.js';
import type { ItemWorkflow } from '../itemWorkflow.js';

export const commitWorkflow: ItemWorkflow = {
  kind: 'commitFailover',
  tasks: [
    { name: 'Committing the failover', runs: ['unpinVmPoint', 'deleteVm'] },
    { name: 'Completing the commit', runs: ['report'] },
  ],
  failure: { type: 'CommitFailed' },
  reportPatch(env) {
    const recoveryVmDeleted = effectsOf(env.input.plan, 'deleteVm').some((effect) => effect.vm === 'recovery');
    return () => (recoveryVmDeleted ? { recoveryVm: undefined } : {});
  },
};
