/**
 * The initial replication job ('IrCompletion'): it follows the item's replication chain and
 * succeeds when the first recovery point makes the item `Protected`. Cancelling it stops
 * replication and leaves the item in `InitialReplicationFailed`, from which Repair replication
 * (or restarting this job) starts over.
 */
import { transition } from '../domain/protectionMachine.js';
import { PermanentError } from '../errors/PermanentError.js';
import type { Job } from '../jobs/jobModel.js';
import { registerJobKind, type JobStepContext } from '../jobs/jobRegistry.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { getProtectionServices } from './protectionServices.js';
import { beginReplication, kickReplication, stopReplication } from './replicationChain.js';

export const INITIAL_REPLICATION_JOB = 'initialReplication';

/** What the job needs to find its item. */
export interface InitialReplicationInput {
  fabricName: string;
  containerName: string;
  itemName: string;
}

const POLL_MS = 2_000;

const itemName = (job: Job): string[] => {
  const input = job.input as InitialReplicationInput;
  return [input.fabricName, input.containerName, input.itemName];
};

async function loadItem(context: JobStepContext) {
  const row = await context.repository.get<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, itemName(context.job.value));
  if (!row) throw new PermanentError('The protected item no longer exists.', { code: 'ProtectedItemNotFound' });
  return row;
}

registerJobKind(INITIAL_REPLICATION_JOB, {
  cancellable: true,
  restartable: true,
  async run(context) {
    const row = await loadItem(context);
    const item = row.value;
    const state = item.state.protectionState;
    if (state === 'InitialReplicationFailed' || state === 'EnablingFailed') {
      // A restart: start over with a resync that compares what the replicas already hold.
      const moved = transition(item.state, { type: 'RepairReplication' });
      if (!moved.ok) throw new PermanentError(moved.reason, { code: 'InvalidState' });
      const now = new Date();
      const next = beginReplication({ ...item, state: moved.next, currentScenario: { scenarioName: 'IrCompletion', jobId: context.job.value.jobId, startTime: now.toISOString() } }, now, { resync: true });
      await context.repository.replace(row, next);
      await kickReplication(getProtectionServices(), context.job.value.vault, next);
      return { retryAfterMs: POLL_MS };
    }
    const percent = item.replication.initialReplicationPercent ?? 0;
    const replicating = state === 'InitialReplicationInProgress' || state === 'ResynchronizationInProgress';
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
    if (item.currentScenario?.jobId === context.job.value.jobId) {
      await context.repository.update<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, itemName(context.job.value), (value) =>
        value.currentScenario?.jobId === context.job.value.jobId ? { ...value, currentScenario: undefined } : undefined,
      );
    }
    return 'done';
  },
  async onCancel(context) {
    const services = getProtectionServices();
    const row = await loadItem(context);
    const item = row.value;
    const cycle = item.replication.cycle;
    const failed = transition(item.state, {
      type: item.state.protectionState === 'ResynchronizationInProgress' ? 'ResynchronizationFailed' : 'InitialReplicationFailed',
    });
    const stopped = stopReplication({ ...item, state: failed.ok ? failed.next : item.state, currentScenario: undefined }, new Date());
    await context.repository.replace(row, stopped);
    if (cycle) await services.engine(context.job.value.vault, item.fabricName, item.recoveryFabricName).abandonCycle(cycle);
  },
});
