/**
 * The initial replication job ('IrCompletion'): it follows the item's replication chain and
 * succeeds when the first recovery point makes the item `Protected`. Cancelling it reports the
 * failure to the item's machine (replication stops; the item is `InitialReplicationFailed`), from
 * which Repair replication — or restarting this job — starts over with a resync.
 */
import { transition } from '../../domain/protectionMachine.js';
import { isSynchronizing } from '../../domain/protectionState.js';
import { PermanentError } from '../../errors/PermanentError.js';
import { defineJobKind, type JobKindDefinition } from '../../jobs/jobKind.js';
import { itemJobInputSchema, itemProgressSchema, type ItemJobInput, type ItemProgress } from '../itemJobInput.js';
import { itemEnv, type ItemWorkflow } from '../itemWorkflow.js';
import { applyRecordEffects } from '../recordEffects.js';
import { kickReplication } from '../replicationControl.js';
import { failItem } from '../runEffects.js';

const POLL_MS = 2_000;

/** The job's one task shows the copy's percent; the job follows the chain rather than running steps. */
export const initialReplicationWorkflow: ItemWorkflow = {
  kind: 'initialReplication',
  tasks: [{ name: 'Initial replication', runs: [] }],
};

export const initialReplicationKind: JobKindDefinition = defineJobKind<ItemJobInput, ItemProgress>({
  input: itemJobInputSchema,
  progress: itemProgressSchema,
  cancellable: true,
  restartable: true,
  async run(context) {
    const env = itemEnv(initialReplicationWorkflow, context);
    const row = await env.item();
    const item = row.value;
    const jobId = context.job.value.jobId;
    if (item.state.protectionState === 'InitialReplicationFailed' || item.state.protectionState === 'EnablingFailed') {
      // A restart: start over with a resync that compares what the replicas already hold.
      const moved = transition(item.state, { type: 'RepairReplication' });
      if (!moved.ok) throw new PermanentError(moved.reason, { code: 'InvalidState' });
      const now = new Date();
      const next = applyRecordEffects({ ...item, state: moved.next, currentScenario: { scenarioName: 'IrCompletion', jobId, startTime: now.toISOString() } }, moved.effects, jobId, now);
      await context.repository.replace(row, next);
      await kickReplication(env.deps, env.vault, next);
      return { retryAfterMs: POLL_MS };
    }
    const percent = item.replication.initialReplicationPercent ?? 0;
    const replicating = isSynchronizing(item.state);
    await context.updateJob((job) => ({
      ...job,
      stateDescription: replicating ? `InProgress (${percent}%)` : job.stateDescription,
      tasks: job.tasks.map((task, index) =>
        index === 0
          ? { ...task, state: replicating ? 'InProgress' : 'Succeeded', stateDescription: `${replicating ? percent : 100}%`, startTime: task.startTime ?? job.startTime, ...(replicating ? {} : { endTime: new Date().toISOString() }) }
          : task,
      ),
    }));
    if (replicating) return { retryAfterMs: POLL_MS };
    await env.updateItem((value) => (value.currentScenario?.jobId === jobId ? { ...value, currentScenario: undefined } : undefined));
    return 'done';
  },
  async onCancel(context) {
    const env = itemEnv(initialReplicationWorkflow, context);
    const item = (await env.item()).value;
    await failItem(env, { type: item.state.protectionState === 'ResynchronizationInProgress' ? 'ResynchronizationFailed' : 'InitialReplicationFailed' });
  },
});
