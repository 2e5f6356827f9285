/**
 * Repair replication (`repairReplication`): resynchronises an item by comparing every chunk of its
 * source disks and replicas by hash and copying only what differs. Admission moves the item to
 * `ResynchronizationInProgress` and restarts its chain with a pending resync in the same write as
 * the job; the job starts the chain and completes when the chain reports the item `Protected` again.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { PermanentError } from '../errors/PermanentError.js';
import type { Job } from '../jobs/jobModel.js';
import { registerJobKind } from '../jobs/jobRegistry.js';
import { itemNameOf, runSteps, tasksOf, type ItemJobInput, type JobStep } from './jobSteps.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { admitItemCommand, requireProtectedItem } from './protectedItems.js';
import type { ProtectionServices } from './protectionServices.js';
import { replicationEndpoints } from './replicationEndpoints.js';
import { beginReplication, kickReplication } from './replicationChain.js';

/** Job kind of repair replication. */
export const REPAIR_REPLICATION_JOB = 'repairReplication';

const POLL_MS = 2_000;

/** Admits repair replication of an item. */
export async function repairReplication(
  services: ProtectionServices,
  vault: VaultRef,
  route: { fabricName: string; containerName: string; itemName: string },
  clientRequestId?: string,
): Promise<Job> {
  const plane = services.plane;
  const row = await requireProtectedItem(plane.repository, vault, route.fabricName, route.containerName, route.itemName);
  const abandoned = row.value.replication.cycle;
  const { job } = await admitItemCommand(plane, row, {
    event: { type: 'RepairReplication' },
    ...(clientRequestId ? { clientRequestId } : {}),
    job: {
      kind: REPAIR_REPLICATION_JOB,
      scenarioName: 'RepairReplication',
      friendlyName: 'Repair replication',
      tasks: tasksOf(REPAIR_STEPS).map((task) => ({ ...task, taskType: 'JobTaskDetails' })),
    },
    apply: (record, _job, now) => beginReplication(record, now, { resync: true }),
  });
  if (abandoned) {
    // The interrupted cycle's messages are stale now: release its lease and drop its snapshots.
    const ends = replicationEndpoints(services, vault, row.value);
    await ends.engine.abandonCycle(abandoned).catch(() => undefined);
    await ends.source
      .deleteCheckpoint({
        disks: abandoned.disks.map((disk) => ({ diskId: disk.diskId, sizeBytes: disk.sizeBytes, container: disk.source.container, blobName: disk.source.blobName, snapshot: disk.source.snapshot })),
      })
      .catch(() => undefined);
  }
  return job;
}

const REPAIR_STEPS: ReadonlyArray<JobStep<Record<string, never>>> = [
  {
    task: 'Starting resynchronization',
    async run(env) {
      const item = (await env.item()).value;
      if (item.state.protectionState === 'ResynchronizationInProgress' && item.replication.active && !item.replication.cycle) {
        await kickReplication(env.services, env.vault, item);
      }
      return { next: {} };
    },
  },
  {
    task: 'Resynchronizing the replica disks',
    async run(env) {
      const item = (await env.item()).value;
      const state = item.state.protectionState;
      if (state === 'ResynchronizationInProgress') return { waitMs: POLL_MS, note: `${item.replication.initialReplicationPercent ?? 0}%` };
      if (state !== 'Protected') {
        throw new PermanentError(`Resynchronization ended in state '${state}'.`, {
          code: 'ResynchronizationFailed',
          recommendedAction: 'Check both sites\' storage and run Repair replication again.',
        });
      }
      await env.updateItem((value) => (value.currentScenario?.jobId === env.job.jobId ? { ...value, currentScenario: undefined } : undefined));
      return { next: {} };
    },
  },
];

registerJobKind(REPAIR_REPLICATION_JOB, {
  run: runSteps(REPAIR_STEPS, {}),
  restartable: false,
  async onFailed(context) {
    const input = context.job.value.input as ItemJobInput;
    const jobId = context.job.value.jobId;
    await context.repository.update<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, itemNameOf(input), (item) =>
      item.currentScenario?.jobId === jobId ? { ...item, currentScenario: undefined } : undefined,
    );
  },
});
