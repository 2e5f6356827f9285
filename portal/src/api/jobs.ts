/** Jobs: list with `$filter`, get, and cancel / restart / resume. */
import { API_VERSIONS } from '../settings.js';
import { armGet, armList, armPost, type ArmAnswer } from './armClient.js';
import { jobPath, vaultPath, type VaultRef } from './resourcePaths.js';
import type { Job } from './types.js';

const call = { apiVersion: API_VERSIONS.siteRecovery };

/** Pages of jobs read for a list (100 jobs each). */
const JOB_PAGES = 10;

export type JobAction = 'cancel' | 'restart' | 'resume';

/** The vault's jobs that `filter` selects (an ARM `$filter`, e.g. `state eq 'Failed'`), newest first. */
export async function listJobs(vault: VaultRef, filter?: string): Promise<Job[]> {
  const jobs = await armList<Job>(`${vaultPath(vault)}/replicationJobs`, { ...call, ...(filter ? { query: { $filter: filter } } : {}) }, JOB_PAGES);
  return jobs.sort((a, b) => (b.properties.startTime ?? '').localeCompare(a.properties.startTime ?? ''));
}

export const getJob = (vault: VaultRef, job: string): Promise<Job> => armGet<Job>(jobPath(vault, job), call);

/** Cancels, restarts or resumes a job; resume carries the operator's comment. */
export const postJobAction = (vault: VaultRef, job: string, action: JobAction, comments?: string): Promise<ArmAnswer> =>
  armPost(`${jobPath(vault, job)}/${action}`, call, action === 'resume' ? { properties: comments ? { comments } : {} } : undefined);
