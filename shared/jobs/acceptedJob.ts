import type { HttpResponseInit } from '@azure/functions';
import { trace } from '@opentelemetry/api';
import type { ArmRequest } from '../arm/armHandler.js';
import { accepted } from '../arm/responses.js';
import type { Job } from './jobModel.js';
import { operationStatusPath } from './operationStatus.js';

/**
 * 202 for an operation run as a job: `Azure-AsyncOperation` → the job's operation status,
 * `Location` → the job's result (the resource it creates or updates, or the job itself).
 * `action` names an action on an existing job (`cancel`), whose status is tracked separately.
 * The request's span is given the job's id.
 */
export function acceptedJob(request: ArmRequest, job: Job, action?: 'cancel'): HttpResponseInit {
  trace.getActiveSpan()?.setAttribute('jobId', job.jobId);
  return accepted(request, {
    statusPath: operationStatusPath(job.vault, action ? `${job.jobId}.${action}` : job.jobId),
    locationPath: job.resultPath,
  });
}
