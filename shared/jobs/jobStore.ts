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
  /** Replaces the job row if its ETag still matches (`ConcurrencyError` otherwise). */
  save(row: StoredRow<Job>, job: Job): Promise<StoredRow<Job>>;
  /** Read-modify-write; `ConcurrencyError('missing')` when the job is gone. */
  update(partition: string, jobId: string, mutate: (job: Job) => Job | undefined): Promise<StoredRow<Job>>;
  list(partition: string, options?: { continuationToken?: string; pageSize?: number }): Promise<RowPage<Job>>;
}

export function createJobStore(repository: ControlPlaneRepository): JobStore {
  return {
    get: (partition, jobId) => repository.get<Job>(partition, JOB_ROW, jobId),
    createAction: (job) => ({ action: 'create', kind: JOB_ROW, name: job.jobId, value: job }),
    save: (row, job) => repository.replace(row, job),
    async update(partition, jobId, mutate) {
      const row = await repository.update<Job>(partition, JOB_ROW, jobId, mutate);
      if (!row) throw new ConcurrencyError('missing', 'The job no longer exists.');
      return row;
    },
    list: (partition, options = {}) => repository.list<Job>(partition, JOB_ROW, options),
  };
}
