import { parseODataFilter, type FilterField } from '../arm/odataFilter.js';
import type { Job } from './jobModel.js';

/** The `replicationJobs` `$filter` fields. */
const FIELDS: Record<string, FilterField<Job>> = {
  state: { read: (job) => job.state },
  jobstatus: { read: (job) => job.state },
  scenarioname: { read: (job) => job.scenarioName },
  friendlyname: { read: (job) => job.friendlyName },
  fabricid: { read: (job) => job.fabricId },
  targetobjectid: { read: (job) => job.targetObjectId },
  targetobjectname: { read: (job) => job.targetObjectName },
  targetinstancetype: { read: (job) => job.targetInstanceType },
  affectedobjecttypes: { read: (job) => job.targetInstanceType },
  starttime: { read: (job) => job.startTime, time: true, eq: { operator: 'ge' } },
  endtime: { read: (job) => job.endTime, time: true, eq: { operator: 'le', read: (job) => job.startTime } },
};

/**
 * Parses a `replicationJobs` `$filter` into a predicate. As in ASR, `startTime eq t` selects jobs
 * started at or after `t` and `endTime eq t` jobs started at or before `t`.
 */
export function parseJobFilter(filter: string | null | undefined): (job: Job) => boolean {
  return parseODataFilter(filter, FIELDS);
}
