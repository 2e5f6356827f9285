import { z } from 'zod';
import type { VaultRef } from '../arm/resourceId.js';
import { PermanentError } from '../errors/PermanentError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { defineJobKind, type JobKindDefinition } from '../jobs/jobKind.js';
import { newJob, type Job, type JobErrorEntry } from '../jobs/jobModel.js';
import { jobPath } from '../jobs/jobResource.js';
import { submitJob } from '../jobs/submitJob.js';
import type { RowAction } from '../repos/ControlPlaneRepository.js';

/** Job kind that completes the creation, update or removal of an infrastructure resource. */
export const PROVISIONING_JOB = 'infraProvisioning';

/** Provisioning state of infrastructure rows. */
export type ProvisioningState = 'Creating' | 'Updating' | 'Succeeded' | 'Deleting';

/** Rows that carry a provisioning state. */
export interface Provisioned {
  provisioningState: ProvisioningState;
}

/** What a provisioning job does when it runs. */
export interface ProvisioningInput {
  operation: 'create' | 'update' | 'delete';
  rowKind: string;
  name: string[];
  /** On delete, rows under the resource removed with it (e.g. a site's host reports). */
  cascade?: Array<{ kind: string; prefix: string[] }>;
}

const provisioningInput = z.object({
  operation: z.enum(['create', 'update', 'delete']),
  rowKind: z.string(),
  name: z.array(z.string()),
  cascade: z.array(z.object({ kind: z.string(), prefix: z.array(z.string()) })).optional(),
});

/** Completes a resource's provisioning: its row `Succeeded`, or (delete) the row and its cascade gone. */
export const provisioningKind: JobKindDefinition = defineJobKind({
  input: provisioningInput,
  progress: z.unknown(),
  async run({ input, repository, partition }) {
    if (input.operation === 'delete') {
      for (const { kind, prefix } of input.cascade ?? []) {
        for await (const row of repository.listAll(partition, kind, { prefix })) await repository.deleteRow(row);
      }
      await repository.delete(partition, input.rowKind, input.name);
      return 'done';
    }
    const row = await repository.update<Provisioned>(partition, input.rowKind, input.name, (value) =>
      value.provisioningState === 'Succeeded' ? undefined : { ...value, provisioningState: 'Succeeded' },
    );
    if (!row) throw new PermanentError('The resource was removed before its provisioning completed.', { code: 'ResourceRemoved' });
    return 'done';
  },
});

/** Describes a provisioning job for the API. */
export interface ProvisioningJobSpec {
  vault: VaultRef;
  input: ProvisioningInput;
  scenarioName: string;
  friendlyName: string;
  targetObjectId: string;
  targetObjectName: string;
  targetInstanceType: string;
  /** Where the client reads the result; the job itself when absent (removals). */
  resultPath?: string;
  fabricId?: string;
  /** Warnings the job shows from the start (e.g. what a removal leaves without a setting it relied on). */
  warnings?: JobErrorEntry[];
}

/**
 * Writes the resource's row (and any `touch` of rows it depends on) with a new provisioning job
 * atomically, and enqueues the job.
 */
export function submitProvisioning(plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>, spec: ProvisioningJobSpec, ...rowActions: RowAction[]): Promise<Job> {
  const job = newJob({
    kind: PROVISIONING_JOB,
    vault: spec.vault,
    scenarioName: spec.scenarioName,
    friendlyName: spec.friendlyName,
    targetObjectId: spec.targetObjectId,
    targetObjectName: spec.targetObjectName,
    targetInstanceType: spec.targetInstanceType,
    resultPath: spec.resultPath ?? '',
    input: spec.input,
    tasks: [{ name: spec.friendlyName, taskType: 'JobTaskDetails' }],
    ...(spec.fabricId ? { fabricId: spec.fabricId } : {}),
  });
  if (!spec.resultPath) job.resultPath = jobPath(job);
  if (spec.warnings) job.errors = [...spec.warnings];
  return submitJob(plane, job, rowActions);
}
