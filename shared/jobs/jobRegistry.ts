import type { InvocationContext } from '@azure/functions';
import type { ControlPlaneRepository, StoredRow } from '../repos/ControlPlaneRepository.js';
import type { Job } from './jobModel.js';

/** What a step returns: finished, run the next step now, run it later, or wait for `resume`. */
export type StepResult = 'done' | 'continue' | 'suspend' | { retryAfterMs: number };

/** What a step handler gets. */
export interface JobStepContext {
  /** The job as read before the step (with its ETag). */
  job: StoredRow<Job>;
  repository: ControlPlaneRepository;
  /** Partition of the job's vault (also the partition of the rows it acts on). */
  partition: string;
  /**
   * Read-modify-write of the job row (ETag-conditional, re-read on a lost race); returns the new
   * row, which later calls build on.
   */
  updateJob(mutate: (job: Job) => Job | undefined): Promise<StoredRow<Job>>;
  log: Pick<InvocationContext, 'log' | 'warn' | 'error'>;
}

/** How jobs of one kind run. Steps are idempotent and persist their progress themselves. */
export interface JobKindDefinition {
  /** Runs one bounded step. Throw `PermanentError` to fail the job without retry. */
  run(context: JobStepContext): Promise<StepResult>;
  /** Whether `cancel` is allowed while the job runs (default false). */
  cancellable?: boolean;
  /** Whether a `Failed` job of this kind may be restarted (default true). */
  restartable?: boolean;
  /** Undoes or stops the work when the job is cancelled, before it is marked `Cancelled`. */
  onCancel?(context: JobStepContext): Promise<void>;
  /** Leaves the affected objects in a state that allows a retry, after the job is marked `Failed`. */
  onFailed?(context: JobStepContext, error: Error): Promise<void>;
}

const kinds = new Map<string, JobKindDefinition>();

/** Registers the step handler of a job kind (once per kind, at module load). */
export function registerJobKind(kind: string, definition: JobKindDefinition): void {
  if (kinds.has(kind)) throw new Error(`Job kind '${kind}' is already registered.`);
  kinds.set(kind, definition);
}

/** The definition of a job kind, or `undefined` when none is registered. */
export function getJobKind(kind: string): JobKindDefinition | undefined {
  return kinds.get(kind);
}
