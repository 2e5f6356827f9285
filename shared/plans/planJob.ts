/**
 * The job of a plan operation. Each step advances through the plan's stages (see `planStages.ts`):
 * a stage's start actions, its work (every source VM shut down, or each VM's item operation admitted
 * as its own job, at most `parallelism` at once, and followed until done), then its end actions.
 * Everything done is kept in the job's progress, so a step re-run after a crash, or a restart after
 * a failure, goes on from there: VMs already done stay done, only what failed or was not reached runs.
 */
import { z } from 'zod';
import { protectedItemPath } from '../protection/protectedItemRecord.js';
import { PermanentError } from '../errors/PermanentError.js';
import { defineJobKind, type JobStepContext, type StepResult } from '../jobs/jobKind.js';
import { isTerminal } from '../jobs/jobModel.js';
import { inPool } from '../inPool.js';
import { findItemOperation } from '../protection/protectedItemOperations.js';
import { planActionSchema } from './planInput.js';
import { planRequestSchema, itemCommandOf, type PlanRequest } from './planInputs.js';
import { actionKeyOf, initialPlanProgress, itemKeyOf, planProgressSchema, planTasks, type PlanProgress } from './planProgress.js';
import { runPlanAction } from './planActions.js';
import { RECOVERY_PLAN_ROW, type PlanItem, type RecoveryPlanRecord } from './planRecord.js';
import type { PlanStage } from './planStages.js';

export const RECOVERY_PLAN_JOB = 'recoveryPlan';

const planItemSchema = z.object({ fabricName: z.string(), containerName: z.string(), itemName: z.string(), vmId: z.string() });
const stageSchema = z.object({
  groupIndex: z.number().int(),
  groupType: z.enum(['Shutdown', 'Failover', 'Boot']),
  name: z.string(),
  startActions: z.array(planActionSchema),
  work: z.enum(['none', 'shutdown', 'item']),
  items: z.array(planItemSchema),
  endActions: z.array(planActionSchema),
});

export const planJobInput = z.object({ planName: z.string(), request: planRequestSchema, stages: z.array(stageSchema), parallelism: z.number().int().positive() });
export type PlanJobInput = z.infer<typeof planJobInput>;

type PlanContext = JobStepContext<PlanJobInput, PlanProgress>;

/** How long a step waits before looking at running item jobs or a runbook's answer again. */
const POLL_MS = 500;
/** Stage moves one step may make before handing over to the next message. */
const MOVES_PER_STEP = 40;

type Move = { progress: PlanProgress; wait?: number | 'suspend' };

const now = (): string => new Date().toISOString();
const finished = (state: string): boolean => state === 'Succeeded' || state === 'Failed' || state === 'Cancelled';

async function shutDownSources(ctx: PlanContext, stage: PlanStage, progress: PlanProgress): Promise<PlanProgress> {
  const vault = ctx.job.value.vault;
  const shutdown = { ...progress.shutdown };
  const pending = stage.items.filter((item) => !shutdown[itemKeyOf(item)]);
  await inPool(pending, ctx.input.parallelism, async (item) => {
    const site = ctx.deps.sites.hyperV(vault, item.fabricName);
    const vm = await site.getVm(item.vmId);
    if (vm && vm.powerState !== 'Off') await site.shutdown(item.vmId);
    shutdown[itemKeyOf(item)] = vm ? 'Off' : 'NotFound';
  });
  return { ...progress, shutdown };
}

/** Admits the item operation of one VM; a retried step gets the job it already started (same request id). */
async function admitItem(ctx: PlanContext, request: PlanRequest, item: PlanItem, attempt: number): Promise<string> {
  const { operation: name, body } = itemCommandOf(request);
  const operation = findItemOperation(name);
  if (!operation) throw new PermanentError(`The item operation '${name}' is not known.`, { code: 'UnknownOperation' });
  const index = ctx.input.stages.flatMap((stage) => (stage.work === 'item' ? stage.items : [])).findIndex((candidate) => itemKeyOf(candidate) === itemKeyOf(item));
  const clientRequestId = `${ctx.job.value.jobId}-${attempt}-${index}`;
  try {
    const job = await operation({ deps: ctx.deps, vault: ctx.job.value.vault, route: item, body, clientRequestId });
    return job.jobId;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new PermanentError(`Virtual machine '${item.itemName}': ${message}`, { code: 'PlanItemRefused', recommendedAction: 'Bring the item to a state the operation allows (or wait for its running operation), then restart the job.' });
  }
}

async function runItems(ctx: PlanContext, stage: PlanStage, progress: PlanProgress): Promise<Move> {
  const items = { ...progress.items };
  let inFlight = 0;
  for (const item of stage.items) {
    const entry = items[itemKeyOf(item)];
    if (!entry || finished(entry.state)) continue;
    const row = await ctx.deps.plane.jobs.get(ctx.partition, entry.jobId);
    const state = row?.value.state ?? 'Failed';
    items[itemKeyOf(item)] = { ...entry, state, friendlyName: row?.value.friendlyName ?? entry.friendlyName, ...(finished(state) ? { endTime: row?.value.endTime ?? now() } : {}) };
    if (state === 'Failed' || state === 'Cancelled') {
      const cause = row?.value.errors.find((error) => error.errorLevel === 'Error')?.serviceErrorDetails;
      items[itemKeyOf(item)] = { ...items[itemKeyOf(item)]!, error: { code: cause?.code ?? 'PlanItemFailed', message: `Virtual machine '${item.itemName}': ${cause?.message ?? `its job ${state.toLowerCase()}.`}` } };
      await save(ctx, { ...progress, items });
      throw new PermanentError(`Virtual machine '${item.itemName}': ${cause?.message ?? `its job ${entry.jobId} ${state.toLowerCase()}.`}`, {
        code: cause?.code ?? 'PlanItemFailed',
        ...(cause?.possibleCauses ? { possibleCauses: cause.possibleCauses } : {}),
        recommendedAction: `${cause?.recommendedAction ? `${cause.recommendedAction} ` : ''}Then restart the recovery plan job: the virtual machines already done are not done again.`,
      });
    }
    if (!finished(state)) inFlight += 1;
  }
  for (const item of stage.items) {
    if (inFlight >= ctx.input.parallelism) break;
    const key = itemKeyOf(item);
    if (items[key]) continue;
    let jobId: string;
    try {
      jobId = await admitItem(ctx, ctx.input.request, item, progress.attempt);
    } catch (error) {
      // What this step admitted before stays admitted: a restart must not ask those VMs again; this VM's task shows why.
      const at = now();
      items[key] = { jobId: '', attempt: progress.attempt, state: 'Failed', startTime: at, endTime: at, error: { code: error instanceof PermanentError ? error.code : 'PlanItemRefused', message: error instanceof Error ? error.message : String(error) } };
      await save(ctx, { ...progress, items });
      throw error;
    }
    items[key] = { jobId, attempt: progress.attempt, state: 'NotStarted', startTime: now() };
    inFlight += 1;
  }
  const next = { ...progress, items };
  const done = stage.items.every((item) => items[itemKeyOf(item)]?.state === 'Succeeded');
  return done ? { progress: { ...next, phase: 'end' } } : { progress: next, wait: POLL_MS };
}

async function runActions(ctx: PlanContext, stage: PlanStage, phase: 'start' | 'end', progress: PlanProgress): Promise<Move> {
  const actions = phase === 'start' ? stage.startActions : stage.endActions;
  const stageIndex = progress.stage;
  for (const [index, action] of actions.entries()) {
    const key = actionKeyOf(stageIndex, phase, index);
    if (progress.actions[key]?.state === 'Succeeded') continue;
    const outcome = await runPlanAction({ ...ctx, attempt: progress.attempt }, { key, action, stage, planName: ctx.input.planName, request: ctx.input.request, previous: progress.actions[key] });
    const next = { ...progress, actions: { ...progress.actions, [key]: outcome.progress } };
    if (outcome.progress.state === 'Failed') {
      await save(ctx, next);
      throw new PermanentError(`Action '${action.actionName}' of ${stage.name}: ${outcome.progress.message ?? 'it failed.'}`, {
        code: outcome.code ?? 'PlanActionFailed',
        recommendedAction: 'Fix what the action reported, then restart the recovery plan job.',
      });
    }
    if (outcome.progress.state !== 'Succeeded') return { progress: next, wait: outcome.progress.state === 'Suspended' ? 'suspend' : POLL_MS };
    progress = next;
  }
  if (phase === 'start') return { progress: { ...progress, phase: 'work' } };
  const stages = progress.stages.map((times, at) => (at === stageIndex ? { ...times, endTime: now() } : times));
  return { progress: { ...progress, stages, stage: stageIndex + 1, phase: 'start' } };
}

async function move(ctx: PlanContext, stage: PlanStage, progress: PlanProgress): Promise<Move> {
  if (!progress.stages[progress.stage]?.startTime) {
    progress = { ...progress, stages: progress.stages.map((times, at) => (at === progress.stage ? { ...times, startTime: now() } : times)) };
  }
  if (progress.phase === 'start') return runActions(ctx, stage, 'start', progress);
  if (progress.phase === 'end') return runActions(ctx, stage, 'end', progress);
  if (stage.work === 'shutdown') return { progress: { ...(await shutDownSources(ctx, stage, progress)), phase: 'end' } };
  if (stage.work === 'item') return runItems(ctx, stage, progress);
  return { progress: { ...progress, phase: 'end' } };
}

async function save(ctx: PlanContext, progress: PlanProgress): Promise<void> {
  const vault = ctx.job.value.vault;
  const tasks = planTasks(ctx.input.stages, progress, (item) => protectedItemPath(vault, item.fabricName, item.containerName, item.itemName));
  await ctx.updateJob((job) => (isTerminal(job.state) ? undefined : { ...job, progress, tasks }));
}

/** The plan remembers when each kind of failover last completed. */
async function recordCompletion(ctx: PlanContext): Promise<void> {
  const at = now();
  const operation = ctx.input.request.operation;
  const field = operation === 'TestFailover' ? 'lastTestFailoverTime' : operation === 'PlannedFailover' ? 'lastPlannedFailoverTime' : operation === 'UnplannedFailover' ? 'lastUnplannedFailoverTime' : undefined;
  if (!field) return;
  await ctx.repository.update<RecoveryPlanRecord>(ctx.partition, RECOVERY_PLAN_ROW, [ctx.input.planName], (plan) => ({ ...plan, [field]: at }));
}

async function run(ctx: PlanContext): Promise<StepResult> {
  let progress = ctx.progress ?? initialPlanProgress(ctx.input.stages.length);
  for (let moves = 0; moves < MOVES_PER_STEP; moves++) {
    const stage = ctx.input.stages[progress.stage];
    if (!stage) {
      await save(ctx, progress);
      await recordCompletion(ctx);
      return 'done';
    }
    const result = await move(ctx, stage, progress);
    progress = result.progress;
    await save(ctx, progress);
    if (result.wait === 'suspend') {
      // The operator's comments on resume belong to this action alone.
      await ctx.updateJob((job) => (job.comments === undefined ? undefined : { ...job, comments: undefined }));
      return 'suspend';
    }
    if (result.wait !== undefined) return { retryAfterMs: result.wait };
  }
  return 'continue';
}

/** After a failure: what failed is forgotten (the tasks still show it), so a restart runs it again. */
async function onFailed(ctx: PlanContext): Promise<void> {
  await ctx.updateJob((job) => {
    const progress = job.progress;
    if (!progress) return undefined;
    const items = Object.fromEntries(Object.entries(progress.items).filter(([, entry]) => entry.state !== 'Failed' && entry.state !== 'Cancelled'));
    const actions = Object.fromEntries(Object.entries(progress.actions).filter(([, entry]) => entry.state !== 'Failed'));
    return { ...job, progress: { ...progress, items, actions, attempt: progress.attempt + 1 } };
  });
}

export const recoveryPlanKind = defineJobKind<PlanJobInput, PlanProgress>({
  input: planJobInput,
  progress: planProgressSchema,
  run,
  onFailed,
});
