/**
 * An item operation's job as a workflow: the tasks it shows, each carrying out the effects of the
 * machine's plan that belong to it, one task per queue message. The index of the next task and what
 * earlier tasks decided live in the job's `progress`, written with the job's ETag after each task, so
 * a crash re-runs at most the task that was interrupted; every effect is idempotent.
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import type { EffectType } from '../domain/protectionEffects.js';
import type { OutcomeEvent } from '../domain/protectionEvents.js';
import { PermanentError } from '../errors/PermanentError.js';
import { defineJobKind, type JobKindDefinition, type JobLog, type JobStepContext, type StepResult } from '../jobs/jobKind.js';
import { withItemDetails, type FailoverItemDetails } from '../jobs/jobDetails.js';
import { jobError, type Job } from '../jobs/jobModel.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { itemJobInputSchema, itemProgressSchema, type ItemJobInput, type ItemProgress, type ItemStepData } from './itemJobInput.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';

/**
 * One task of a workflow: its name, and the effect types of the plan it carries out — or, for the
 * few tasks that are no machine effect (enable protection's own checks), what it runs.
 */
export type WorkflowTask = { name: string; runs: readonly EffectType[] } | { name: string; run(env: ItemEnv): Promise<EffectResult> };

/** The record facts a report writes besides the state, computed before its write. */
export type ReportPatch = (item: ProtectedItemRecord) => Partial<ProtectedItemRecord>;

export interface ItemWorkflow {
  kind: string;
  tasks: readonly WorkflowTask[];
  /** What this workflow's report records on the item besides the state (the VMs it made, times). */
  reportPatch?(env: ItemEnv): ReportPatch | Promise<ReportPatch>;
  /** The outcome the item reports to its machine when the job fails. */
  failure?: OutcomeEvent;
  /** The error when replication ends in another state than `Protected` while the job waits for it. */
  interrupted?(state: string): PermanentError;
  cancellable?: boolean;
  restartable?: boolean;
  onCancel?(env: ItemEnv): Promise<void>;
}

/** What an effect sees while its task runs. */
export interface ItemEnv {
  deps: Deps;
  vault: VaultRef;
  job: Job<ItemJobInput, ItemProgress>;
  input: ItemJobInput;
  /** What earlier tasks (and earlier runs of this one) decided. */
  data: ItemStepData;
  workflow: ItemWorkflow;
  log: JobLog;
  /** The item row (fresh read); a `PermanentError` when it is gone. */
  item(): Promise<StoredRow<ProtectedItemRecord>>;
  /** Read-modify-write of the item row (ETag-conditional, retried on a lost race). */
  updateItem(mutate: (item: ProtectedItemRecord) => ProtectedItemRecord | undefined): Promise<StoredRow<ProtectedItemRecord>>;
  /** Persists part of `data` now, before the task completes (so a re-run sees the same decision). */
  remember(patch: Partial<ItemStepData>): Promise<void>;
  /** Adds a warning to the job (once per code). */
  warn(code: string, message: string, recommendedAction: string): Promise<void>;
  /** Records what a (test) failover job shows of its item: the point, the VM (no-op for other jobs). */
  noteDetails(patch: Partial<FailoverItemDetails>): Promise<void>;
}

/** An effect's result: done (merging what it decided), or run the task again after `waitMs`. */
export type EffectResult = { done: Partial<ItemStepData> } | { waitMs: number; note?: string };

/** The task names of a workflow, for its job at admission. */
export const taskNamesOf = (workflow: Pick<ItemWorkflow, 'tasks'>): string[] => workflow.tasks.map((task) => task.name);

const itemName = (input: ItemJobInput): string[] => [input.fabricName, input.containerName, input.itemName];

/** The environment of a job of `workflow` in `context`. */
export function itemEnv(workflow: ItemWorkflow, context: JobStepContext<ItemJobInput, ItemProgress>): ItemEnv {
  const name = itemName(context.input);
  const gone = (): PermanentError => new PermanentError('The protected item no longer exists.', { code: 'ProtectedItemNotFound' });
  const env: ItemEnv = {
    deps: context.deps,
    vault: context.job.value.vault,
    job: context.job.value,
    input: context.input,
    data: { ...(context.progress?.data ?? {}) },
    workflow,
    log: context.log,
    async item() {
      const row = await context.repository.get<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, name);
      if (!row) throw gone();
      return row;
    },
    async updateItem(mutate) {
      const row = await context.repository.update<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, name, mutate);
      if (!row) throw gone();
      return row;
    },
    async remember(patch) {
      await context.updateJob((job) => {
        const current = job.progress ?? { step: 0, data: {} };
        return { ...job, progress: { step: current.step, data: { ...current.data, ...patch } } };
      });
      Object.assign(env.data, patch);
    },
    async noteDetails(patch) {
      await context.updateJob((job) => (job.customDetails && job.customDetails.instanceType !== 'AsrJobDetails' ? { ...job, customDetails: withItemDetails(job.customDetails, patch) } : undefined));
    },
    async warn(code, message, recommendedAction) {
      await context.updateJob((job) =>
        job.errors.some((e) => e.serviceErrorDetails.code === code) ? undefined : { ...job, errors: [...job.errors, { ...jobError(code, message, { recommendedAction }), errorLevel: 'Warning' }] },
      );
    },
  };
  return env;
}

/** Carries out one effect (`runEffects.ts`); passed in so this module stays independent of the step library. */
export type EffectRunner = (effect: ItemJobInput['plan'][number], env: ItemEnv) => Promise<EffectResult>;

/** Runs the task the job's progress points at: its effects in plan order. */
async function runTask(workflow: ItemWorkflow, runEffect: EffectRunner, context: JobStepContext<ItemJobInput, ItemProgress>): Promise<StepResult> {
  const index = context.progress?.step ?? 0;
  const task = workflow.tasks[index];
  if (!task) return 'done';
  const env = itemEnv(workflow, context);
  const now = new Date().toISOString();
  if (context.job.value.tasks[index]?.state === 'NotStarted') {
    await context.updateJob((j) => ({ ...j, tasks: j.tasks.map((t, i) => (i === index ? { ...t, state: 'InProgress', startTime: now } : t)) }));
  }
  let decided: Partial<ItemStepData> = {};
  const work = 'run' in task ? [() => task.run(env)] : env.input.plan.filter((effect) => task.runs.includes(effect.type)).map((effect) => () => runEffect(effect, env));
  for (const next of work) {
    const result = await next();
    if ('waitMs' in result) {
      const note = result.note;
      if (note) await context.updateJob((j) => ({ ...j, tasks: j.tasks.map((t, i) => (i === index ? { ...t, stateDescription: note } : t)) }));
      return { retryAfterMs: result.waitMs };
    }
    decided = { ...decided, ...result.done };
    Object.assign(env.data, result.done);
  }
  const done = new Date().toISOString();
  await context.updateJob((j) => {
    const current = j.progress ?? { step: 0, data: {} };
    if (current.step !== index) return undefined;
    return {
      ...j,
      progress: { step: index + 1, data: { ...current.data, ...decided } },
      tasks: j.tasks.map((t, i) => (i === index ? { ...t, state: 'Succeeded', stateDescription: 'Completed', endTime: done, startTime: t.startTime ?? now } : t)),
    };
  });
  return index + 1 >= workflow.tasks.length ? 'done' : 'continue';
}

/** A workflow as the job runner sees it; `onFailed` reports the workflow's failure outcome through `fail`. */
export function defineItemWorkflow(
  workflow: ItemWorkflow,
  runEffect: EffectRunner,
  fail: (env: ItemEnv, outcome: OutcomeEvent | undefined) => Promise<void>,
): JobKindDefinition {
  return defineJobKind<ItemJobInput, ItemProgress>({
    input: itemJobInputSchema,
    progress: itemProgressSchema,
    ...(workflow.cancellable === undefined ? {} : { cancellable: workflow.cancellable }),
    ...(workflow.restartable === undefined ? {} : { restartable: workflow.restartable }),
    run: (context) => runTask(workflow, runEffect, context),
    onFailed: (context) => fail(itemEnv(workflow, context), workflow.failure),
    ...(workflow.onCancel ? { onCancel: (context: JobStepContext<ItemJobInput, ItemProgress>) => workflow.onCancel?.(itemEnv(workflow, context)) ?? Promise.resolve() } : {}),
  });
}
