/** Steps about the replication chain and what it wrote: stopping, fencing, resuming, waiting, deleting. */
import { drillWarning } from '../../domain/drillWarning.js';
import { isSynchronizing } from '../../domain/protectionState.js';
import { PermanentError } from '../../errors/PermanentError.js';
import { protectionMarkAction } from '../../infra/siteInventory.js';
import { finishJob, isTerminal } from '../../jobs/jobModel.js';
import { BACKGROUND_SCENARIOS } from '../../domain/itemScenarios.js';
import { vaultPartition } from '../../repos/partitions.js';
import type { EffectResult, ItemEnv } from '../itemWorkflow.js';
import { itemRowName, PROTECTED_ITEM_ROW, primaryOf, reversePointsKey, type ProtectedItemRecord } from '../protectedItemRecord.js';
import { abandonCycle, kickReplication, REPLICATION_CHECKPOINT_TAG, stopReplication } from '../replicationControl.js';

/** Blobs (or point rows) one step deletes at most. */
export const DELETE_BATCH = 200;
/**
 * How long after replication stopped a final cleanup pass runs: a chain step that had started
 * before the stop may still write its cycle's last blobs and point until then.
 */
export const STRAGGLER_GRACE_MS = 10_000;
const POLL_MS = 2_000;

export async function warnIfNotDrilled(env: ItemEnv): Promise<EffectResult> {
  const warning = drillWarning((await env.item()).value, new Date());
  if (warning) await env.warn('TestFailoverNotDoneRecently', warning, 'Run a test failover regularly to validate the recovery plan without impact on production.');
  return { done: {} };
}

/**
 * Stops the item's replication (in-flight chain messages become stale). A cycle in progress is
 * kept in the job before the stop, so a re-run after a crash still cleans it up.
 */
export async function stopReplicationStep(env: ItemEnv): Promise<EffectResult> {
  const now = new Date();
  const before = (await env.item()).value;
  if (before.replication.cycle && !env.data.abandonedCycle) await env.remember({ abandonedCycle: before.replication.cycle });
  const row = await env.updateItem((item) => (item.replication.active || item.replication.cycle ? { ...stopReplication(item, now), updatedAt: now.toISOString() } : undefined));
  const cycle = env.data.abandonedCycle;
  if (cycle) await abandonCycle(env.deps, env.vault, row.value, cycle);
  // Only a chain that ran can have a step in flight that writes after this.
  return { done: row.value.replication.generation > 0 ? { stoppedAt: env.data.stoppedAt ?? now.toISOString() } : {} };
}

/** Ends the background jobs (initial replication, repair) the command took the item over from, as cancelled. */
export async function endBackgroundJobs(env: ItemEnv): Promise<EffectResult> {
  const item = (await env.item()).value;
  const partition = vaultPartition(env.vault);
  for (const jobId of new Set([item.initialReplicationJobId, env.input.preemptedJobId])) {
    if (!jobId) continue;
    const row = await env.deps.plane.jobs.get(partition, jobId);
    if (!row || isTerminal(row.value.state) || !BACKGROUND_SCENARIOS.has(row.value.scenarioName)) continue;
    await env.deps.plane.jobs.update(partition, jobId, (job) => (isTerminal(job.state) ? undefined : finishJob(job, 'Cancelled')));
  }
  return { done: {} };
}

/** After failover the service holds the source disks: the source host's writes fail. */
export async function fenceSource(env: ItemEnv): Promise<EffectResult> {
  const item = (await env.item()).value;
  const primary = primaryOf(item);
  const site = env.deps.sites.hyperV(env.vault, primary.fabricName);
  if (await site.getVm(primary.vmId)) await site.fence(primary.vmId);
  else {
    await env.warn(
      'SourceVmNotFound',
      `The virtual machine '${item.friendlyName}' no longer exists at site '${primary.fabricName}', so there was nothing to fence.`,
      'Re-protect recreates the virtual machine at the original site and copies its disks back in full.',
    );
  }
  return { done: {} };
}

/** Makes sure the chain runs after a restart: the interrupted cycle cleaned up, the next message sent. */
export async function resumeReplication(env: ItemEnv): Promise<EffectResult> {
  const item = (await env.item()).value;
  if (env.input.interruptedCycle) await abandonCycle(env.deps, env.vault, item, env.input.interruptedCycle);
  if (item.replication.active && !item.replication.cycle) await kickReplication(env.deps, env.vault, item);
  return { done: {} };
}

/** Waits until replication has made the item Protected again, then releases it. */
export async function awaitProtected(env: ItemEnv): Promise<EffectResult> {
  const item = (await env.item()).value;
  if (isSynchronizing(item.state)) return { waitMs: POLL_MS, note: `${item.replication.initialReplicationPercent ?? 0}%` };
  if (item.state.protectionState !== 'Protected') {
    throw env.workflow.interrupted?.(item.state.protectionState) ?? new PermanentError(`Replication stopped in state '${item.state.protectionState}'.`, { code: 'ReplicationInterrupted' });
  }
  await env.updateItem((current) => (current.currentScenario?.jobId === env.job.jobId ? { ...current, currentScenario: undefined } : undefined));
  return { done: {} };
}

/** Deletes what replication wrote for the item (both directions' service-owned blobs and point rows); true when nothing is left. */
async function deleteData(env: ItemEnv, record: ProtectedItemRecord): Promise<boolean> {
  const { deps, vault } = env;
  const primary = primaryOf(record);
  const source = deps.sites.hyperV(vault, primary.fabricName);
  const forward = deps.engine(source, deps.sites.replicas(vault, record.recoveryFabricName).target);
  if (!(await forward.deleteReplicas(record.itemKey, { maxBlobs: DELETE_BATCH })).done) return false;
  // Reverse replication (now, or before a failback) wrote into the original disks: its manifests,
  // plans and point snapshots go, the disks stay.
  const reverse = deps.engine(deps.sites.recoveryVms(vault, record.recoveryFabricName), source.fencedDiskTarget(primary.vmId).target);
  const targets = primary.disks.map((disk) => disk.blobName);
  if (!(await reverse.deleteReplicas(reversePointsKey(record.itemKey), { maxBlobs: DELETE_BATCH, targets })).done) return false;
  // Checkpoints replication took of the VM and never got to delete (a crash between taking and recording one).
  if (await source.getVm(primary.vmId)) await source.deleteCheckpoints(primary.vmId, REPLICATION_CHECKPOINT_TAG);
  // The marks of the test and failed-over VMs the item's operations made and deleted.
  await deps.sites.recoveryVms(vault, record.recoveryFabricName).forgetRetiredVms(record.itemKey);
  if (!(await deps.points.deleteItemRows(record.itemKey, DELETE_BATCH)).done) return false;
  return (await deps.points.deleteItemRows(reversePointsKey(record.itemKey), DELETE_BATCH)).done;
}

export async function deleteReplicationData(env: ItemEnv): Promise<EffectResult> {
  return (await deleteData(env, (await env.item()).value)) ? { done: {} } : { waitMs: 0, note: 'Deleting' };
}

/** Removes the item row and the VM's protection mark together, after a last cleanup pass once stragglers are done. */
export async function removeItem(env: ItemEnv): Promise<EffectResult> {
  const wait = env.data.stoppedAt ? Date.parse(env.data.stoppedAt) + STRAGGLER_GRACE_MS - Date.now() : 0;
  if (wait > 0) return { waitMs: wait };
  const partition = vaultPartition(env.vault);
  const name = [env.input.fabricName, env.input.containerName, env.input.itemName];
  const row = await env.deps.plane.repository.get<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, name);
  if (!row) return { done: {} };
  if (!(await deleteData(env, row.value))) return { waitMs: 0, note: 'Deleting' };
  await env.deps.plane.repository.transact(partition, [protectionMarkAction(row.value.fabricName, row.value.vmId, null), { action: 'delete', kind: PROTECTED_ITEM_ROW, name: itemRowName(row.value) }]);
  return { done: {} };
}
