/**
 * What a job kind is to the runner: how one step runs, and what happens on cancel and failure. The
 * catalogue of the app's kinds is `jobKinds.ts`; the runner is handed a catalogue, nothing registers
 * itself.
 */
import type { z } from 'zod';
import type { Deps } from '../deps.js';
import { PermanentError } from '../errors/PermanentError.js';
import type { ControlPlaneRepository, StoredRow } from '../repos/ControlPlaneRepository.js';
import type { Job } from './jobModel.js';

/** What a step returns: finished, run the next step now, run it later, or wait for `resume`. */
export type StepResult = 'done' | 'continue' | 'suspend' | { retryAfterMs: number };

/** Where a job's steps log. */
export interface JobLog {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** What a step handler gets. */
export interface JobStepContext<Input = unknown, Progress = unknown> {
  /** The job as read before the step (with its ETag). */
  job: StoredRow<Job<Input, Progress>>;
  /** The job's input, validated by its kind. */
  input: Input;
  /** The job's progress so far, validated by its kind (`undefined` before the first step records any). */
  progress: Progress | undefined;
  deps: Deps;
  repository: ControlPlaneRepository;
  /** Partition of the job's vault (also the partition of the rows it acts on). */
  partition: string;
  /**
   * Read-modify-write of the job row (ETag-conditional, re-read on a lost race); returns the new
   * row, which later calls build on.
   */
  updateJob: (mutate: (job: Job<Input, Progress>) => Job<Input, Progress> | undefined) => Promise<StoredRow<Job<Input, Progress>>>;
  log: JobLog;
}

/** How jobs of one kind run. Steps are idempotent and persist their progress themselves. */
export interface JobKindDefinition {
  /** Runs one bounded step. Throw `PermanentError` to fail the job without retry, `RetryLaterError` to run it again later. */
  run(context: JobStepContext): Promise<StepResult>;
  /** Whether `cancel` is allowed while the job runs (default false). */
  cancellable?: boolean;
  /** Whether a `Failed` job of this kind may be restarted (default true). */
  restartable?: boolean;
  /** Undoes or stops the work when the job is cancelled, before it is marked `Cancelled`. */
  onCancel?(context: JobStepContext): Promise<void>;
  /** Leaves the affected objects in a state that allows a retry, just before the job is marked `Failed`. */
  onFailed?(context: JobStepContext, error: Error): Promise<void>;
}

/** Job kinds by name. */
export type JobCatalogue = Readonly<Record<string, JobKindDefinition>>;

/** A job kind's definition with typed input and progress. */
export interface TypedJobKind<Input, Progress> {
  /** Validates the input stored at submission. */
  input: z.ZodType<Input>;
  /** Validates the progress the steps stored (absent before the first). */
  progress: z.ZodType<Progress>;
  run(context: JobStepContext<Input, Progress>): Promise<StepResult>;
  cancellable?: boolean;
  restartable?: boolean;
  onCancel?(context: JobStepContext<Input, Progress>): Promise<void>;
  onFailed?(context: JobStepContext<Input, Progress>, error: Error): Promise<void>;
}

function typed<Input, Progress>(kind: TypedJobKind<Input, Progress>, context: JobStepContext): JobStepContext<Input, Progress> {
  const parsed = kind.input.safeParse(context.job.value.input);
  if (!parsed.success) throw new PermanentError(`The job's input is not valid for its kind '${context.job.value.kind}'.`, { code: 'InvalidJobInput' });
  const input = parsed.data;
  const narrow = (row: StoredRow<Job>): StoredRow<Job<Input, Progress>> => {
    const progress = row.value.progress === undefined ? undefined : kind.progress.parse(row.value.progress);
    return { ...row, value: { ...row.value, input, progress } };
  };
  const job = narrow(context.job);
  const view: JobStepContext<Input, Progress> = {
    ...context,
    job,
    input,
    progress: job.value.progress,
    async updateJob(mutate) {
      const row = await context.updateJob((current) => mutate(narrow({ ...context.job, value: current }).value));
      view.job = narrow(row);
      return view.job;
    },
  };
  return view;
}

/** Erases a typed kind into the runner's definition: input and progress are validated on every step. */
export function defineJobKind<Input, Progress>(kind: TypedJobKind<Input, Progress>): JobKindDefinition {
  return {
    ...(kind.cancellable === undefined ? {} : { cancellable: kind.cancellable }),
    ...(kind.restartable === undefined ? {} : { restartable: kind.restartable }),
    run: (context) => kind.run(typed(kind, context)),
    ...(kind.onCancel ? { onCancel: (context: JobStepContext) => kind.onCancel?.(typed(kind, context)) ?? Promise.resolve() } : {}),
    ...(kind.onFailed ? { onFailed: (context: JobStepContext, error: Error) => kind.onFailed?.(typed(kind, context), error) ?? Promise.resolve() } : {}),
  };
}
