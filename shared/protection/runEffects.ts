/**
 * The one place the protection machine's effects are carried out: a plan's effects, each by its
 * step (`steps/`), and the effects a transition applies with its state change — inside the item's
 * conditional write (`recordEffects.ts`), then their follow-ups.
 */
import type { ProtectionEffect } from '../domain/protectionEffects.js';
import type { OutcomeEvent } from '../domain/protectionEvents.js';
import { transition } from '../domain/protectionMachine.js';
import type { JobKindDefinition } from '../jobs/jobKind.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { withSpan } from '../tracing/withSpan.js';
import { defineItemWorkflow, type EffectResult, type ItemEnv, type ItemWorkflow, type ReportPatch } from './itemWorkflow.js';
import type { ProtectedItemRecord } from './protectedItemRecord.js';
import { applyRecordEffects, interruptsCycle } from './recordEffects.js';
import { kickReplication, abandonCycle } from './replicationControl.js';
import { awaitFreshPoint, pinPoint, releaseJobPoint, unpinVmPoint } from './steps/pointSteps.js';
import { awaitProtected, deleteReplicationData, endBackgroundJobs, fenceSource, removeItem, resumeReplication, stopReplicationStep, warnIfNotDrilled } from './steps/replicationSteps.js';
import { createRecoveryVm, createVmAtAlternateSite, deleteVm, prepareOriginalVm, restorePrimaryVm, shutDownVm, startSourceVm, unfenceSource } from './steps/vmSteps.js';

/** Carries out one effect of a job's plan. */
export async function runEffect(effect: ProtectionEffect, env: ItemEnv): Promise<EffectResult> {
  switch (effect.type) {
    case 'warnIfNotDrilled':
      return warnIfNotDrilled(env);
    case 'shutDownVm':
      return shutDownVm(env, effect);
    case 'awaitFreshPoint':
      return awaitFreshPoint(env, 'freshSince', effect.resync ?? false);
    case 'presyncChanges':
      return awaitFreshPoint(env, 'presyncSince');
    case 'pinPoint':
      return pinPoint(env, effect);
    case 'stopReplication':
      return stopReplicationStep(env);
    case 'endBackgroundJobs':
      return endBackgroundJobs(env);
    case 'fenceSource':
      return fenceSource(env);
    case 'createRecoveryVm':
      return createRecoveryVm(env, effect);
    case 'restorePrimaryVm':
      return restorePrimaryVm(env, effect);
    case 'createVmAtAlternateSite':
      return createVmAtAlternateSite(env, effect);
    case 'deleteVm':
      return deleteVm(env, effect);
    case 'unpinVmPoint':
      return unpinVmPoint(env, effect);
    case 'prepareOriginalVm':
      return prepareOriginalVm(env);
    case 'unfenceSource':
      return unfenceSource(env);
    case 'startSourceVm':
      return startSourceVm(env);
    case 'resumeReplication':
      return resumeReplication(env);
    case 'awaitProtected':
      return awaitProtected(env);
    case 'report':
      await applyOutcome(env, effect.outcome, env.workflow.reportPatch ? await env.workflow.reportPatch(env) : () => ({}));
      return { done: {} };
    case 'deleteReplicationData':
      return deleteReplicationData(env);
    case 'removeItem':
      return removeItem(env);
    case 'startReplication':
    case 'releaseItem':
    case 'releaseJobPoint':
      throw new RangeError(`The effect '${effect.type}' is applied with a transition, not planned.`);
  }
}

/** What must follow the write of effects applied with a transition. */
async function runFollowUps(env: ItemEnv, effects: readonly ProtectionEffect[], row: StoredRow<ProtectedItemRecord>): Promise<void> {
  for (const effect of effects) {
    if (effect.type === 'startReplication' && row.value.replication.active && !row.value.replication.cycle) await kickReplication(env.deps, env.vault, row.value);
    if (effect.type === 'releaseJobPoint') await releaseJobPoint(env, row.value);
  }
  const cycle = env.data.abandonedCycle;
  if (cycle && interruptsCycle(effects)) await abandonCycle(env.deps, env.vault, row.value, cycle);
}

/**
 * Reports an outcome to the item's machine: the next state, the effects that go with it and the
 * workflow's own facts in one conditional write, then their follow-ups. What the write will apply is
 * kept in the job first, so a re-run after a crash — which finds the outcome applied and the machine
 * refusing it again — still runs the follow-ups. Returns the item as it stands.
 */
export async function applyOutcome(env: ItemEnv, outcome: OutcomeEvent, patch: ReportPatch = () => ({})): Promise<StoredRow<ProtectedItemRecord>> {
  const fresh = await env.item();
  const moved = transition(fresh.value.state, outcome);
  if (moved.ok) {
    const interrupted = fresh.value.replication.cycle && interruptsCycle(moved.effects) && !env.data.abandonedCycle ? { abandonedCycle: fresh.value.replication.cycle } : {};
    await env.remember({ applied: moved.effects, ...interrupted });
  }
  const now = new Date();
  const row = await env.updateItem((item) => {
    const result = transition(item.state, outcome);
    if (!result.ok) return undefined; // reported already (a re-run)
    return applyRecordEffects({ ...item, ...patch(item), state: result.next, updatedAt: now.toISOString() }, result.effects, env.job.jobId, now);
  });
  await runFollowUps(env, env.data.applied ?? [], row);
  return row;
}

/**
 * After a job failed: the item reports the workflow's failure outcome (so a retry is allowed), and
 * in any case is no longer held by the job.
 */
export async function failItem(env: ItemEnv, outcome: OutcomeEvent | undefined): Promise<void> {
  const row = outcome ? await applyOutcome(env, outcome) : await env.item();
  if (row.value.currentScenario?.jobId === env.job.jobId) {
    await env.updateItem((item) => (item.currentScenario?.jobId === env.job.jobId ? { ...item, currentScenario: undefined } : undefined));
  }
}

/** An effect in a span of its own (`effect <type>`), a child of its job step's. */
function tracedEffect(effect: ProtectionEffect, env: ItemEnv): Promise<EffectResult> {
  return withSpan(`effect ${effect.type}`, { attributes: { jobId: env.job.jobId, item: env.input.itemName, 'effect.type': effect.type } }, async (span) => {
    const result = await runEffect(effect, env);
    span.setAttribute('effect.outcome', 'waitMs' in result ? 'wait' : 'done');
    return result;
  });
}

/** A workflow as a job kind of the catalogue. */
export const workflowKind = (workflow: ItemWorkflow): JobKindDefinition => defineItemWorkflow(workflow, tracedEffect, failItem);
