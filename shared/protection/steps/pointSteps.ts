/** Steps about recovery points: a fresh point, choosing and pinning one, releasing it. */
import type { ProtectionEffect } from '../../domain/protectionEffects.js';
import { selectRecoveryPoint, type RecoveryPointChoice } from '../../domain/recoveryPointChoice.js';
import { PermanentError } from '../../errors/PermanentError.js';
import type { RecoveryPoint } from '../../replication/recoveryPoint.js';
import type { EffectResult, ItemEnv } from '../itemWorkflow.js';
import { pointsKeyOf, type ProtectedItemRecord } from '../protectedItemRecord.js';
import { recoveryPointPath } from '../recoveryPointResource.js';
import { kickReplication } from '../replicationControl.js';
import { pinnedDirection, serviceVmOf } from './jobItemFacts.js';

const WAIT_MS = 1_000;

/**
 * Asks the chain for a point taken at or after the step began (kept in the job as `key`, so a re-run
 * waits for the same one), and waits until it exists; `resync` makes that cycle compare every chunk.
 */
export async function awaitFreshPoint(env: ItemEnv, key: 'freshSince' | 'presyncSince' = 'freshSince', resync = false): Promise<EffectResult> {
  if (!env.data[key]) await env.remember({ [key]: new Date().toISOString() });
  const since = env.data[key] ?? new Date().toISOString();
  const status = (await env.item()).value.replication;
  if (status.lastPointTime && Date.parse(status.lastPointTime) >= Date.parse(since)) return { done: {} };
  if (!status.active) {
    throw new PermanentError('Replication is not running, so no newer recovery point can be taken.', {
      code: 'ReplicationNotActive',
      recommendedAction: 'Choose the latest processed recovery point instead.',
    });
  }
  if (!status.pointWantedBy || Date.parse(status.pointWantedBy) < Date.parse(since)) {
    const updated = await env.updateItem((item) => ({
      ...item,
      replication: { ...item.replication, pointWantedBy: since, ...(item.replication.cycle ? {} : { nextCycleAt: since }), ...(resync ? { pendingResync: true } : {}) },
    }));
    if (!updated.value.replication.cycle) await kickReplication(env.deps, env.vault, updated.value);
  }
  return { waitMs: WAIT_MS, note: 'Replicating the pending changes' };
}

/** The candidates a choice picks from, read as cheaply as the store allows. */
async function candidates(env: ItemEnv, key: string, choice: RecoveryPointChoice): Promise<RecoveryPoint[]> {
  const points = env.deps.points;
  const found =
    choice.kind === 'Custom' ? await points.get(key, choice.recoveryPointId) : choice.kind === 'LatestApplicationConsistent' ? await points.latestApplicationConsistent(key) : await points.latest(key);
  return found ? [found] : [];
}

/**
 * Chooses the point and pins it against pruning for this job. The choice is recorded before the
 * pin, so a re-run after a crash pins the same point again instead of choosing (and pinning) a newer
 * one and leaving the first pinned for ever.
 */
export async function pinPoint(env: ItemEnv, effect: Extract<ProtectionEffect, { type: 'pinPoint' }>): Promise<EffectResult> {
  const item = (await env.item()).value;
  const key = pointsKeyOf(item, effect.direction);
  let pointId = env.data.pointId;
  if (!pointId) {
    const selection = selectRecoveryPoint(await candidates(env, key, effect.choice), effect.choice);
    if (!selection.ok) throw new PermanentError(selection.message, { code: selection.code, recommendedAction: selection.recommendedAction });
    pointId = selection.point.id;
    await env.remember({ pointId });
  }
  const pinned = await env.deps.points.pin(key, pointId, env.job.jobId);
  if (!pinned) {
    await env.remember({ pointId: undefined }); // pruned meanwhile: choose again
    return { waitMs: 0 };
  }
  await env.noteDetails({ recoveryPointId: recoveryPointPath(env.vault, item, pointId), recoveryPointTime: pinned.time });
  return { done: { pointId } };
}

/** Releases the point a service-made VM was created from. */
export async function unpinVmPoint(env: ItemEnv, effect: Extract<ProtectionEffect, { type: 'unpinVmPoint' }>): Promise<EffectResult> {
  const vm = serviceVmOf((await env.item()).value, effect.vm, env.job.jobId);
  if (vm) await env.deps.points.unpin(vm.pointsKey, vm.pointId, vm.pinnedBy);
  return { done: {} };
}

/** After a failed job: releases the point it pinned, unless a VM the item keeps was created from it. */
export async function releaseJobPoint(env: ItemEnv, item: ProtectedItemRecord): Promise<void> {
  const pointId = env.data.pointId;
  if (!pointId) return;
  if ([item.recoveryVm, item.testVm].some((vm) => vm?.pinnedBy === env.job.jobId)) return;
  await env.deps.points.unpin(pointsKeyOf(item, pinnedDirection(env)), pointId, env.job.jobId);
}
