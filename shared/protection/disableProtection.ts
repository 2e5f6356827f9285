/**
 * Disable protection (`remove`, and `DELETE` = purge): admitted when the machine allows
 * `DisableProtection`; the job stops replication (in-flight chain messages become stale, a cycle in
 * progress is abandoned), deletes the replicas with their snapshots, manifests and plans and the
 * recovery point rows in bounded steps, then removes the item row and the VM's protection mark
 * together. The source VM and its disks are never touched.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { parseInput } from '../arm/parseInput.js';
import { transition } from '../domain/protectionMachine.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { finishJob, isTerminal, type Job } from '../jobs/jobModel.js';
import { registerJobKind } from '../jobs/jobRegistry.js';
import { protectionMarkAction } from '../infra/siteInventory.js';
import type { CycleState } from '../replication/cycleState.js';
import { vaultPartition } from '../repos/partitions.js';
import { itemNameOf, runSteps, tasksOf, type ItemJobInput, type JobStep } from './jobSteps.js';
import { PROTECTED_ITEM_ROW, primaryOf, type ProtectedItemRecord } from './protectedItemRecord.js';
import { admitItemCommand, INITIAL_REPLICATION_SCENARIOS, REPLICATION_SCENARIOS, findProtectedItem, requireItemRoute, requireProtectedItem } from './protectedItems.js';
import { disableProtectionBody } from './protectionInputs.js';
import type { ProtectionServices } from './protectionServices.js';
import { replicationEndpoints, reversePointsKey } from './replicationEndpoints.js';
import { stopReplication } from './replicationChain.js';

/** Job kind of disable protection. */
export const DISABLE_PROTECTION_JOB = 'disableProtection';
/** Blobs (or point rows) one step deletes at most. */
export const DELETE_BATCH = 200;
/**
 * How long after replication stopped a final cleanup pass runs: a chain step that had started
 * before the stop may still write its cycle's last blobs and point until then.
 */
export const STRAGGLER_GRACE_MS = 10_000;

interface DisableData {
  /** When a chain that had run was stopped (ISO). */
  stoppedAt?: string;
}

/**
 * Admits disabling protection of an item (`purge`: the `DELETE` form). Purging a missing item is
 * `undefined` (nothing to do); removing one is a 404.
 */
export async function disableProtection(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  vault: VaultRef,
  route: { fabricName: string; containerName: string; itemName: string },
  body: unknown,
  options: { purge: boolean; clientRequestId?: string },
): Promise<Job | undefined> {
  const input = parseInput(disableProtectionBody, body ?? {}).properties;
  let row;
  if (options.purge) {
    const names = await requireItemRoute(plane.repository, vault, route.fabricName, route.containerName, route.itemName);
    row = await findProtectedItem(plane.repository, vault, names.fabricName, names.containerName, route.itemName);
    if (!row) return undefined;
  } else {
    row = await requireProtectedItem(plane.repository, vault, route.fabricName, route.containerName, route.itemName);
  }
  const preempt = options.purge ? REPLICATION_SCENARIOS : INITIAL_REPLICATION_SCENARIOS;
  const current = row.value.currentScenario;
  const preemptedJobId = current && preempt.has(current.scenarioName) ? current.jobId : undefined;
  const { job } = await admitItemCommand(plane, row, {
    event: { type: 'DisableProtection' },
    preempt,
    ...(options.clientRequestId ? { clientRequestId: options.clientRequestId } : {}),
    job: {
      kind: DISABLE_PROTECTION_JOB,
      scenarioName: 'DisableDr',
      friendlyName: options.purge ? 'Remove protected item' : 'Disable protection',
      tasks: tasksOf(DISABLE_STEPS).map((task) => ({ ...task, taskType: 'JobTaskDetails' })),
      input: { purge: options.purge, reason: input?.disableProtectionReason ?? 'NotSpecified', ...(preemptedJobId ? { preemptedJobId } : {}) },
      result: 'job',
    },
  });
  return job;
}

/** Deletes a cycle's leftovers: its plan and lease at the target, its snapshots at the source. */
async function abandonCycle(services: ProtectionServices, vault: VaultRef, record: ProtectedItemRecord, cycle: CycleState): Promise<void> {
  const ends = replicationEndpoints(services, vault, record);
  await ends.engine.abandonCycle(cycle);
  await ends.source.deleteCheckpoint({
    disks: cycle.disks.map((disk) => ({ diskId: disk.diskId, sizeBytes: disk.sizeBytes, container: disk.source.container, blobName: disk.source.blobName, snapshot: disk.source.snapshot })),
  });
}

/** Ends a job the disable takes over (initial replication, resync) as cancelled. */
async function endBackgroundJob(services: ProtectionServices, vault: VaultRef, jobId: string | undefined): Promise<void> {
  if (!jobId) return;
  await services.plane.jobs
    .update(vaultPartition(vault), jobId, (job) => (isTerminal(job.state) || !REPLICATION_SCENARIOS.has(job.scenarioName) ? undefined : finishJob(job, 'Cancelled')))
    .catch(() => undefined);
}

/** Deletes what replication wrote for the item (both directions' service-owned blobs and point rows). */
async function deleteReplicationData(services: ProtectionServices, vault: VaultRef, record: ProtectedItemRecord): Promise<boolean> {
  const primary = primaryOf(record);
  const forward = services.engine(vault, primary.fabricName, record.recoveryFabricName);
  if (!(await forward.deleteReplicas(record.itemKey, { maxBlobs: DELETE_BATCH })).done) return false;
  if (record.recoveryVm) {
    // Reverse replication wrote into the original disks: its manifests, plans and point snapshots go, the disks stay.
    const original = services.site(vault, primary.fabricName);
    const reverse = services.engineBetween(services.recoveryVmSite(vault, record.recoveryFabricName), { blobs: original.blobs, containerName: original.containerName });
    const targets = primary.disks.map((disk) => disk.blobName);
    if (!(await reverse.deleteReplicas(reversePointsKey(record.itemKey), { maxBlobs: DELETE_BATCH, targets })).done) return false;
  }
  if (!(await services.points.deleteItemRows(record.itemKey, DELETE_BATCH)).done) return false;
  return (await services.points.deleteItemRows(reversePointsKey(record.itemKey), DELETE_BATCH)).done;
}

const DISABLE_STEPS: ReadonlyArray<JobStep<DisableData>> = [
  {
    task: 'Stopping replication',
    async run(env) {
      const now = new Date();
      let cycle: CycleState | undefined;
      const row = await env.updateItem((item) => {
        cycle = item.replication.cycle;
        return item.replication.active || cycle ? { ...stopReplication(item, now), updatedAt: now.toISOString() } : undefined;
      });
      if (cycle) await abandonCycle(env.services, env.vault, row.value, cycle);
      await endBackgroundJob(env.services, env.vault, row.value.initialReplicationJobId);
      await endBackgroundJob(env.services, env.vault, typeof env.input.preemptedJobId === 'string' ? env.input.preemptedJobId : undefined);
      // Only a chain that ran can have a step in flight that writes after the deletion below.
      const ran = row.value.replication.generation > 0;
      return { next: ran ? { stoppedAt: env.data.stoppedAt ?? now.toISOString() } : {} };
    },
  },
  {
    task: 'Deleting replica disks and recovery points',
    async run(env) {
      const done = await deleteReplicationData(env.services, env.vault, (await env.item()).value);
      return done ? { next: {} } : { waitMs: 0, note: 'Deleting' };
    },
  },
  {
    task: 'Removing the replication protected item',
    async run(env) {
      const wait = env.data.stoppedAt ? Date.parse(env.data.stoppedAt) + STRAGGLER_GRACE_MS - Date.now() : 0;
      if (wait > 0) return { waitMs: wait };
      const input = env.input as ItemJobInput;
      const partition = vaultPartition(env.vault);
      const row = await env.context.repository.get<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, itemNameOf(input));
      if (!row) return { next: {} };
      if (!(await deleteReplicationData(env.services, env.vault, row.value))) return { waitMs: 0, note: 'Deleting' };
      await env.context.repository.transact(partition, [
        protectionMarkAction(row.value.fabricName, row.value.vmId, null),
        { action: 'delete', kind: PROTECTED_ITEM_ROW, name: itemNameOf(input) },
      ]);
      return { next: {} };
    },
  },
];

registerJobKind(DISABLE_PROTECTION_JOB, {
  run: runSteps(DISABLE_STEPS, {}),
  async onFailed(context) {
    const input = context.job.value.input as ItemJobInput;
    const jobId = context.job.value.jobId;
    await context.repository.update<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, itemNameOf(input), (item) => {
      const failed = transition(item.state, { type: 'DisableFailed' });
      if (!failed.ok && item.currentScenario?.jobId !== jobId) return undefined;
      return { ...item, state: failed.ok ? failed.next : item.state, currentScenario: item.currentScenario?.jobId === jobId ? undefined : item.currentScenario };
    });
  },
});

