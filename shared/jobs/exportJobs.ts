/**
 * `replicationJobs/export`: the vault's jobs matching the query (time window, fabric, type of the
 * affected object, status, scenario) written to a file — a CSV for `Excel` (the default), JSON for
 * `Json` — by a job that finishes at once. Its `ExportJobDetails.blobUri` is a URL of this API (no
 * SAS) that returns the file.
 */
import { z } from 'zod';
import { parseInput } from '../arm/parseInput.js';
import { vaultChildId, vaultId, type VaultRef } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';
import { PROVISIONING_JOB } from '../infra/provisioningJob.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ControlPlane } from './controlPlane.js';
import { newJob, type Job } from './jobModel.js';
import { recordCompletedJob } from './recordCompletedJob.js';
import { JOB_ROW } from './jobStore.js';

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date and time (ISO 8601)');
const list = z.string().max(1024);

/** The body of `POST …/replicationJobs/export`: the query (a missing body reads as `{}`). */
export const exportJobsBody = z.object({
  startTime: isoTime.optional(),
  endTime: isoTime.optional(),
  fabricId: z.string().max(1024).optional(),
  affectedObjectTypes: list.optional(),
  jobStatus: list.optional(),
  jobOutputType: z.enum(['Json', 'Xml', 'Excel'], "must be 'Json', 'Xml' or 'Excel'").optional(),
  jobName: z.string().max(256).optional(),
  timezoneOffset: z.number().min(-14).max(14).optional(),
});

type ExportQuery = z.infer<typeof exportJobsBody>;

/** The route (under the vault) of an export's file. */
export const exportFilePath = (vault: VaultRef, jobId: string): string => `${vaultChildId(vault, ['replicationJobs', jobId])}/exportedFile`;

const lowerSet = (value: string | undefined): Set<string> | undefined => (value ? new Set(value.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean)) : undefined);

/** Whether a job matches the export query. Pure. */
export function matchesExportQuery(job: Job, query: ExportQuery): boolean {
  const statuses = lowerSet(query.jobStatus);
  const types = lowerSet(query.affectedObjectTypes);
  if (query.startTime && Date.parse(job.startTime) < Date.parse(query.startTime)) return false;
  if (query.endTime && Date.parse(job.startTime) > Date.parse(query.endTime)) return false;
  if (query.fabricId && job.fabricId?.toLowerCase() !== query.fabricId.toLowerCase() && !job.fabricId?.toLowerCase().endsWith(`/replicationfabrics/${query.fabricId.toLowerCase()}`)) return false;
  if (statuses && !statuses.has(job.state.toLowerCase())) return false;
  if (types && !types.has(job.targetInstanceType.toLowerCase())) return false;
  if (query.jobName && job.scenarioName.toLowerCase() !== query.jobName.toLowerCase()) return false;
  return true;
}

const csvField = (value: string | undefined): string => (value === undefined ? '' : /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The jobs as CSV, one row each, newest first. Pure. */
export function jobsCsv(jobs: readonly Job[]): string {
  const header = ['Name', 'Operation', 'Scenario', 'Status', 'Start time', 'End time', 'Item', 'Item type', 'Errors'];
  const rows = jobs.map((job) =>
    [job.jobId, job.friendlyName, job.scenarioName, job.state, job.startTime, job.endTime, job.targetObjectName, job.targetInstanceType, job.errors.map((error) => `${error.errorLevel}: ${error.serviceErrorDetails.code}`).join('; ')]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

/** Exports the vault's jobs; `baseUrl` is the API's (the file's URL is under it). */
export async function exportJobs(plane: ControlPlane, vault: VaultRef, body: unknown, baseUrl: string): Promise<Job> {
  const query = parseInput(exportJobsBody, body ?? {});
  if (query.jobOutputType === 'Xml') throw new HttpError(400, 'InvalidParameter', "Invalid value for 'jobOutputType': 'Xml' is not offered; use 'Excel' (CSV) or 'Json'.", undefined, 'jobOutputType');
  const partition = vaultPartition(vault);
  const jobs: Job[] = [];
  for await (const row of plane.repository.listAll<Job>(partition, JOB_ROW)) if (matchesExportQuery(row.value, query)) jobs.push(row.value);
  jobs.sort((a, b) => b.startTime.localeCompare(a.startTime));
  const now = new Date();
  const job = newJob({
    kind: PROVISIONING_JOB,
    vault,
    scenarioName: 'ExportJobs',
    friendlyName: 'Export jobs',
    targetObjectId: vaultId(vault),
    targetObjectName: vault.vaultName,
    targetInstanceType: 'Vault',
    resultPath: vaultId(vault),
    input: {},
    tasks: [{ name: 'Exporting the jobs', taskType: 'JobTaskDetails' }],
    now,
  });
  // The operation's result is the export job itself (its details name the file).
  job.resultPath = vaultChildId(vault, ['replicationJobs', job.jobId]);
  const json = query.jobOutputType === 'Json';
  await plane.exports.save(vault, job.jobId, json ? { content: JSON.stringify(jobs.map((entry) => ({ name: entry.jobId, friendlyName: entry.friendlyName, scenarioName: entry.scenarioName, state: entry.state, startTime: entry.startTime, endTime: entry.endTime, targetObjectName: entry.targetObjectName, targetInstanceType: entry.targetInstanceType, errors: entry.errors }))), contentType: 'application/json' } : { content: jobsCsv(jobs), contentType: 'text/csv' });
  job.customDetails = { instanceType: 'ExportJobDetails', blobUri: `${baseUrl}${exportFilePath(vault, job.jobId)}`, sasToken: '' };
  return recordCompletedJob(plane, job, { state: 'Succeeded' }, now);
}
