import type { ControlPlaneRepository, RowAction, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import type { Job } from './jobModel.js';

/** Row kind of jobs. */
export const JOB_ROW = 'job';

/** Jobs on the control-plane repository (partition = the vault's partition). */
export interface JobStore {
  get(partition: string, jobId: string): Promise<StoredRow<Job> | undefined>;
  /** The transaction action that creates the job row (to write it with the rows it concerns). */
  createAction(job: Job): RowAction;
  /** Tells the listener that a job written with `createAction` is stored. */
  created(job: Job): Promise<void>;
  /** Replaces the job row if its ETag still matches (`ConcurrencyError` otherwise). */
  save(row: StoredRow<Job>, job: Job): Promise<StoredRow<Job>>;
  /** Read-modify-write; `ConcurrencyError('missing')` when the job is gone. */
  update(partition: string, jobId: string, mutate: (job: Job) => Job | undefined): Promise<StoredRow<Job>>;
  list(partition: string, options?: { continuationToken?: string; pageSize?: number }): Promise<RowPage<Job>>;
}

/**
 * Hears a job's change once it is stored: `before` is the job as it was (`undefined` for a job
 * just created). It must not throw; what it does is not part of the job's write.
 */
export type JobChangeListener = (before: Job | undefined, after: Job) => Promise<void>;

export function createJobStore(repository: ControlPlaneRepository, onChange: JobChangeListener = () => Promise.resolve()): JobStore {
  return {
    get: (partition, jobId) => repository.get<Job>(partition, JOB_ROW, jobId),
    createAction: (job) => ({ action: 'create', kind: JOB_ROW, name: job.jobId, value: job }),
    created: (job) => onChange(undefined, job),
    async save(row, job) {
      const saved = await repository.replace(row, job);
      await onChange(row.value, saved.value);
      return saved;
    },
    async update(partition, jobId, mutate) {
      // The last attempt's mutation is the one written.
      let before: Job | undefined;
      const row = await repository.update<Job>(partition, JOB_ROW, jobId, (job) => {
        const next = mutate(job);
        before = next === undefined ? undefined : job;
        return next;
      });
      if (!row) throw new ConcurrencyError('missing', 'The job no longer exists.');
      if (before) await onChange(before, row.value);
      return row;
    },
    list: (partition, options = {}) => repository.list<Job>(partition, JOB_ROW, options),
  };
}
