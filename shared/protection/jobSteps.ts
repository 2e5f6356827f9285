/**
 * Runs an item operation's job as an ordered list of idempotent steps, one step per queue message.
 * The job's tasks are the steps (shown to operators with their state); the index of the next step and
 * what earlier steps decided live in the job's `progress`, written with the job's ETag after each step,
 * so a crash re-runs at most the step that was interrupted.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { PermanentError } from '../errors/PermanentError.js';
import type { Job, JobTask } from '../jobs/jobModel.js';
import type { JobKindDefinition, JobStepContext, StepResult } from '../jobs/jobRegistry.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { getProtectionServices, type ProtectionServices } from './protectionServices.js';

/** Where an item operation's job finds its item. */
export interface ItemJobInput {
  fabricName: string;
  containerName: string;
  itemName: string;
}

/** What a step sees. `data` holds what earlier steps decided. */
export interface StepEnv<D> {
  context: JobStepContext;
  services: ProtectionServices;
  vault: VaultRef;
  job: Job;
  data: D;
  input: ItemJobInput & Record<string, unknown>;
  /** The item row (fresh read). */
  item(): Promise<StoredRow<ProtectedItemRecord>>;
  /** Read-modify-write of the item row (ETag-conditional, retried on a lost race). */
  updateItem(mutate: (item: ProtectedItemRecord) => ProtectedItemRecord | undefined): Promise<StoredRow<ProtectedItemRecord>>;
  /** Persists part of `data` now, before the step completes (so a re-run sees the same decision). */
  remember(patch: Partial<D>): Promise<void>;
}

/** A step's result: go on (merging `data`), or run this step again after `waitMs`. */
export type StepOutcome<D> = { next: Partial<D> } | { waitMs: number; note?: string };

export interface JobStep<D> {
  /** Task name shown in the job. */
  task: string;
  run(env: StepEnv<D>): Promise<StepOutcome<D>>;
}

interface Progress<D> {
  step: number;
  data: D;
}

/** The job's tasks for a list of steps (set at submission). */
export function tasksOf<D>(steps: ReadonlyArray<JobStep<D>>): Array<Pick<JobTask, 'name'>> {
  return steps.map((step) => ({ name: step.task }));
}

export const itemNameOf = (input: ItemJobInput): string[] => [input.fabricName, input.containerName, input.itemName];

/** A job kind's `run` that executes `steps` in order. */
export function runSteps<D extends object>(steps: ReadonlyArray<JobStep<D>>, initial: D): JobKindDefinition['run'] {
  return async (context): Promise<StepResult> => {
    const job = context.job.value;
    const progress = (job.progress as Progress<D> | undefined) ?? { step: 0, data: initial };
    const step = steps[progress.step];
    if (!step) return 'done';
    const input = job.input as ItemJobInput & Record<string, unknown>;
    const name = itemNameOf(input);
    const env: StepEnv<D> = {
      context,
      services: getProtectionServices(),
      vault: job.vault,
      job,
      data: progress.data,
      input,
      async item() {
        const row = await context.repository.get<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, name);
        if (!row) throw new PermanentError('The protected item no longer exists.', { code: 'ProtectedItemNotFound' });
        return row;
      },
      async updateItem(mutate) {
        const row = await context.repository.update<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, name, mutate);
        if (!row) throw new PermanentError('The protected item no longer exists.', { code: 'ProtectedItemNotFound' });
        return row;
      },
      async remember(patch) {
        await context.updateJob((j) => {
          const current = (j.progress as Progress<D> | undefined) ?? { step: 0, data: initial };
          return { ...j, progress: { step: current.step, data: { ...current.data, ...patch } } };
        });
        Object.assign(env.data, patch);
      },
    };
    const now = new Date().toISOString();
    const index = progress.step;
    if (job.tasks[index]?.state === 'NotStarted') {
      await context.updateJob((j) => ({ ...j, tasks: j.tasks.map((t, i) => (i === index ? { ...t, state: 'InProgress', startTime: now } : t)) }));
    }
    const outcome = await step.run(env);
    if ('waitMs' in outcome) {
      if (outcome.note) {
        const note = outcome.note;
        await context.updateJob((j) => ({ ...j, tasks: j.tasks.map((t, i) => (i === index ? { ...t, stateDescription: note } : t)) }));
      }
      return { retryAfterMs: outcome.waitMs };
    }
    const done = new Date().toISOString();
    await context.updateJob((j) => {
      const current = (j.progress as Progress<D> | undefined) ?? { step: 0, data: initial };
      if (current.step !== index) return undefined;
      return {
        ...j,
        progress: { step: index + 1, data: { ...current.data, ...outcome.next } },
        tasks: j.tasks.map((t, i) => (i === index ? { ...t, state: 'Succeeded', stateDescription: 'Completed', endTime: done, startTime: t.startTime ?? now } : t)),
      };
    });
    return index + 1 >= steps.length ? 'done' : 'continue';
  };
}
