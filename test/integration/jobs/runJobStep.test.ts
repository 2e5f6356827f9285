import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import { beforeAll, describe, expect, test } from 'vitest';
import type { VaultRef } from '../../../shared/arm/resourceId.js';
import { PermanentError } from '../../../shared/errors/PermanentError.js';
import { configForStorage } from '../../../shared/config.js';
import { createDeps, type Deps } from '../../../shared/deps.js';
import { jobStoreWithEvents, type ControlPlane } from '../../../shared/jobs/controlPlane.js';
import { createEventLog } from '../../../shared/events/eventLog.js';
import { cancelJob, restartJob, resumeJob } from '../../../shared/jobs/jobActions.js';
import { newJob, type Job } from '../../../shared/jobs/jobModel.js';
import { createJobExports } from '../../../shared/jobs/jobExports.js';
import { createJobQueue, type JobStepMessage } from '../../../shared/jobs/jobQueue.js';
import type { JobCatalogue, StepResult } from '../../../shared/jobs/jobKind.js';
import { allowedJobActions } from '../../../shared/jobs/jobResource.js';
import { getOperationStatus } from '../../../shared/jobs/operationStatus.js';
import { JOB_STEP_GRACE_MS, reseedStalledJob } from '../../../shared/jobs/reseedStalledJob.js';
import { reseedStalledJobs } from '../../../shared/jobs/reseedStalledJobs.js';
import { runJobStep } from '../../../shared/jobs/runJobStep.js';
import { ensureJobStarted, submitJob } from '../../../shared/jobs/submitJob.js';
import { createControlPlaneRepository } from '../../../shared/repos/ControlPlaneRepository.js';
import { invocationLogger } from '../../../shared/logging/invocationLogger.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { createJsonQueues } from '../../../shared/storage/jsonQueues.js';
import { testStorage } from '../../support/storage.js';

const unique = () => `t${randomUUID().replaceAll('-', '')}`;
const log = invocationLogger(new InvocationContext({ functionName: 'runJob' }));
const once = { dequeueCount: 1, maxDequeueCount: 5 };

let plane: ControlPlane;
let deps: Deps;
let queueName: string;
const vault: VaultRef = { subscriptionId: randomUUID(), resourceGroupName: 'rg', vaultName: 'v' };
const partition = vaultPartition(vault);
const calls = new Map<string, number>();
/** A step's scripted outcome: a result, an error thrown, or what a function of the job's id does. */
type Scripted = StepResult | Error | ((jobId: string) => Promise<StepResult>);
const scripts = new Map<string, Scripted[]>();

const kinds: JobCatalogue = {
  testScripted: {
    cancellable: true,
    async run({ job, updateJob }) {
      const id = job.value.jobId;
      const count = (calls.get(id) ?? 0) + 1;
      calls.set(id, count);
      await updateJob((current) => ({ ...current, progress: { steps: count } }));
      const next = scripts.get(id)?.shift() ?? 'done';
      if (next instanceof Error) throw next;
      if (typeof next === 'function') return next(id);
      return next;
    },
    async onCancel({ updateJob }) {
      await updateJob((job) => ({ ...job, progress: { cancelled: true } }));
    },
    async onFailed({ updateJob }, error) {
      // What the kind's clean-up saw: the job not yet failed (whoever sees it Failed sees the clean-up done).
      await updateJob((job) => ({ ...job, progress: { failedWith: error.message, jobStateSeen: job.state } }));
    },
  },
};

beforeAll(async () => {
  const clients = createStorageClients(testStorage());
  const repository = createControlPlaneRepository(clients.table(unique()));
  queueName = unique();
  const events = createEventLog(repository, createJsonQueues(clients.queues));
  plane = { repository, jobs: jobStoreWithEvents(repository, events, () => undefined), jobQueue: createJobQueue(clients.queues.getQueueClient(queueName)), exports: createJobExports(clients.blobs), events };
  deps = { ...createDeps(configForStorage(testStorage())), plane };
});

async function submit(script: Scripted[]): Promise<Job> {
  const job = newJob({ kind: 'testScripted', vault, scenarioName: 'Test', friendlyName: 'Test job', targetObjectId: 'x', targetObjectName: 'x', targetInstanceType: 'Test', resultPath: '/x', tasks: [{ name: 'Step' }] });
  scripts.set(job.jobId, script);
  await submitJob(plane, job);
  return job;
}

async function messagesFor(jobId: string): Promise<JobStepMessage[]> {
  const queue = createStorageClients(testStorage()).queues.getQueueClient(queueName);
  if (!(await queue.exists())) return [];
  const received = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 1 });
  const messages = received.receivedMessageItems.map((item) => JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as JobStepMessage);
  for (const item of received.receivedMessageItems) await queue.deleteMessage(item.messageId, item.popReceipt);
  return messages.filter((message) => message.jobId === jobId);
}

const state = async (jobId: string) => (await plane.jobs.get(partition, jobId))!.value;

describe('runJobStep', () => {
  test('a job stored without its first step (the admitting process died) runs once when a retry finds it', async () => {
    const job = newJob({ kind: 'testScripted', vault, scenarioName: 'Test', friendlyName: 'Test job', targetObjectId: 'x', targetObjectName: 'x', targetInstanceType: 'Test', resultPath: '/x', tasks: [{ name: 'Step' }] });
    scripts.set(job.jobId, ['done']);
    await plane.repository.transact(partition, [plane.jobs.createAction(job)]);
    expect(await messagesFor(job.jobId)).toEqual([]);
    const found = await ensureJobStarted(plane, job);
    expect(found.sequence).toBe(1);
    const [step] = await messagesFor(job.jobId);
    expect(step).toEqual({ type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: 1 });
    // Had the first step been sent after all, it is now stale.
    await runJobStep(deps, kinds, { type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: 0 }, once, log);
    expect(calls.get(job.jobId)).toBeUndefined();
    await runJobStep(deps, kinds, step, once, log);
    expect(await state(job.jobId)).toMatchObject({ state: 'Succeeded' });
    expect(calls.get(job.jobId)).toBe(1);
    // A started job is left as it is.
    expect(await ensureJobStarted(plane, await state(job.jobId))).toMatchObject({ state: 'Succeeded', sequence: 1 });
    expect(await messagesFor(job.jobId)).toEqual([]);
  });

  test('a redelivered step whose successor was recorded re-sends it once; a plain duplicate sends nothing', async () => {
    const job = await submit(['continue', 'done']);
    const [first] = await messagesFor(job.jobId);
    // The job moved on to sequence 1 (as if the process died between that write and its enqueue).
    await plane.jobs.update(partition, job.jobId, (current) => ({ ...current, sequence: 1 }));
    await runJobStep(deps, kinds, first, once, log);
    expect(await messagesFor(job.jobId)).toEqual([]);
    await runJobStep(deps, kinds, first, { dequeueCount: 2, maxDequeueCount: 5 }, log);
    const resent = await messagesFor(job.jobId);
    expect(resent).toEqual([{ type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: 1 }]);
    await runJobStep(deps, kinds, resent[0], once, log);
    expect(calls.get(job.jobId)).toBe(1);
  });

  test('steps continue through the queue until done; a stale duplicate is dropped', async () => {
    const job = await submit(['continue', 'done']);
    const [first] = await messagesFor(job.jobId);
    expect(first).toEqual({ type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: 0 });
    await runJobStep(deps, kinds, first, once, log);
    expect((await state(job.jobId)).state).toBe('InProgress');
    const [second] = await messagesFor(job.jobId);
    expect(second?.sequence).toBe(1);
    await runJobStep(deps, kinds, first, once, log);
    expect(calls.get(job.jobId)).toBe(1);
    await runJobStep(deps, kinds, second, once, log);
    const done = await state(job.jobId);
    expect(done).toMatchObject({ state: 'Succeeded', progress: { steps: 2 } });
    expect(done.endTime).toBeDefined();
    expect(done.tasks[0]?.state).toBe('Succeeded');
    await runJobStep(deps, kinds, second, once, log);
    expect(calls.get(job.jobId)).toBe(2);
    expect(await getOperationStatus(plane, vault, job.jobId)).toMatchObject({ status: 'Succeeded' });
  });

  test('a PermanentError fails the job with a readable error (after its kind cleaned up) and the message is consumed', async () => {
    const job = await submit([new PermanentError('The disk is gone.', { code: 'DiskMissing', possibleCauses: 'Deleted at the site.', recommendedAction: 'Re-add the disk.' })]);
    await expect(runJobStep(deps, kinds, (await messagesFor(job.jobId))[0], once, log)).resolves.toBeUndefined();
    const failed = await state(job.jobId);
    expect(failed).toMatchObject({ state: 'Failed', progress: { failedWith: 'The disk is gone.', jobStateSeen: 'InProgress' } });
    expect(failed.errors[0]?.serviceErrorDetails).toEqual({ code: 'DiskMissing', message: 'The disk is gone.', possibleCauses: 'Deleted at the site.', recommendedAction: 'Re-add the disk.' });
    expect(allowedJobActions(failed, kinds)).toEqual(['Restart']);
    expect(await getOperationStatus(plane, vault, job.jobId)).toMatchObject({ status: 'Failed', error: { code: 'DiskMissing', message: 'The disk is gone.' } });
  });

  test('a failure of a step the job has moved on from (a late duplicate) does not fail the job', async () => {
    const job = await submit([
      async (jobId) => {
        // While this run was under way, the step's first run finished and the job went on.
        await plane.jobs.update(partition, jobId, (current) => ({ ...current, sequence: current.sequence + 1 }));
        throw new PermanentError('The virtual machine was deleted while it was being created.', { code: 'RecoveryVmDeleted' });
      },
      'done',
    ]);
    await expect(runJobStep(deps, kinds, (await messagesFor(job.jobId))[0], once, log)).resolves.toBeUndefined();
    expect(await state(job.jobId)).toMatchObject({ state: 'InProgress', errors: [], sequence: 1 });
    expect((await state(job.jobId)).progress).not.toHaveProperty('failedWith');
    expect(await messagesFor(job.jobId)).toEqual([]);
    await runJobStep(deps, kinds, { type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: 1 }, once, log);
    expect(await state(job.jobId)).toMatchObject({ state: 'Succeeded', errors: [] });
  });

  test('other errors are rethrown for retry; on the last delivery the job fails first', async () => {
    const job = await submit([new Error('transient'), new Error('still broken')]);
    const [message] = await messagesFor(job.jobId);
    await expect(runJobStep(deps, kinds, message, once, log)).rejects.toThrow('transient');
    expect((await state(job.jobId)).state).toBe('InProgress');
    await expect(runJobStep(deps, kinds, message, { dequeueCount: 5, maxDequeueCount: 5 }, log)).rejects.toThrow('still broken');
    const failed = await state(job.jobId);
    expect(failed.state).toBe('Failed');
    expect(failed.errors[0]?.serviceErrorDetails.code).toBe('JobStepRetriesExhausted');

    const restarted = await restartJob(plane, kinds, vault, job.jobId);
    expect(restarted).toMatchObject({ state: 'InProgress', errors: [] });
    const [again] = await messagesFor(job.jobId);
    await runJobStep(deps, kinds, again, once, log);
    expect((await state(job.jobId)).state).toBe('Succeeded');
    await expect(restartJob(plane, kinds, vault, job.jobId)).rejects.toMatchObject({ status: 409 });
  });

  test('cancel stops a cancellable job through its hook; the cancel operation succeeds', async () => {
    const job = await submit([{ retryAfterMs: 60_000 }]);
    await runJobStep(deps, kinds, (await messagesFor(job.jobId))[0], once, log);
    await messagesFor(job.jobId);
    const cancelling = await cancelJob(plane, kinds, vault, job.jobId);
    expect(cancelling.cancelRequested).toBe(true);
    expect(await getOperationStatus(plane, vault, `${job.jobId}.cancel`)).toMatchObject({ status: 'InProgress' });
    await expect(cancelJob(plane, kinds, vault, job.jobId)).rejects.toMatchObject({ status: 409 });
    const [message] = await messagesFor(job.jobId);
    await runJobStep(deps, kinds, message, once, log);
    expect(await state(job.jobId)).toMatchObject({ state: 'Cancelled', progress: { cancelled: true } });
    expect(await getOperationStatus(plane, vault, `${job.jobId}.cancel`)).toMatchObject({ status: 'Succeeded' });
    expect(await getOperationStatus(plane, vault, job.jobId)).toMatchObject({ status: 'Canceled' });
  });

  test('a suspended job waits for resume', async () => {
    const job = await submit(['suspend', 'done']);
    await runJobStep(deps, kinds, (await messagesFor(job.jobId))[0], once, log);
    expect((await state(job.jobId)).state).toBe('Suspended');
    await expect(restartJob(plane, kinds, vault, job.jobId)).rejects.toMatchObject({ status: 409, code: 'JobActionNotAllowed' });
    await resumeJob(plane, kinds, vault, job.jobId, 'checked by hand');
    const [message] = await messagesFor(job.jobId);
    await runJobStep(deps, kinds, message, once, log);
    expect(await state(job.jobId)).toMatchObject({ state: 'Succeeded', comments: 'checked by hand' });
  });

  test('a suspended job can be cancelled', async () => {
    const job = await submit(['suspend']);
    await runJobStep(deps, kinds, (await messagesFor(job.jobId))[0], once, log);
    await cancelJob(plane, kinds, vault, job.jobId);
    await runJobStep(deps, kinds, (await messagesFor(job.jobId))[0], once, log);
    expect((await state(job.jobId)).state).toBe('Cancelled');
  });

  test('the watchdog sends again the step of a held job whose message was lost, once per grace', async () => {
    const job = await submit(['continue', 'done']);
    await runJobStep(deps, kinds, (await messagesFor(job.jobId))[0], once, log);
    // The next step's message is lost.
    expect((await messagesFor(job.jobId)).map((m) => m.sequence)).toEqual([1]);
    await plane.repository.transact(partition, [{ action: 'create', kind: 'testHolder', name: job.jobId, value: { currentScenario: { jobId: job.jobId }, name: 'holder' } }]);
    const warnings: unknown[] = [];
    const sweepLog = { warn: (...args: unknown[]) => warnings.push(args) };
    expect(await reseedStalledJobs(plane, ['testHolder'], new Date(), sweepLog)).toBe(0);
    const later = new Date(Date.now() + JOB_STEP_GRACE_MS + 1_000);
    expect(await reseedStalledJobs(plane, ['testHolder'], later, sweepLog)).toBe(1);
    expect(await reseedStalledJob(plane, partition, job.jobId, later)).toBe(false);
    expect(warnings).toHaveLength(1);
    const resent = await messagesFor(job.jobId);
    expect(resent).toEqual([{ type: 'jobStep', vaultKey: partition, jobId: job.jobId, sequence: 1 }]);
    await runJobStep(deps, kinds, resent[0], once, log);
    expect(await state(job.jobId)).toMatchObject({ state: 'Succeeded' });
    expect(await reseedStalledJob(plane, partition, job.jobId, new Date(later.getTime() + 2 * JOB_STEP_GRACE_MS))).toBe(false);

    // A background job an item names (its initial replication) is watched the same way.
    const background = await submit(['continue', 'done']);
    await runJobStep(deps, kinds, (await messagesFor(background.jobId))[0], once, log);
    await messagesFor(background.jobId);
    await plane.repository.transact(partition, [{ action: 'create', kind: 'testHolder', name: background.jobId, value: { initialReplicationJobId: background.jobId, name: 'item' } }]);
    expect(await reseedStalledJobs(plane, ['testHolder'], new Date(Date.now() + JOB_STEP_GRACE_MS + 1_000), sweepLog)).toBe(1);
    expect((await messagesFor(background.jobId)).map((m) => m.sequence)).toEqual([1]);

    // A suspended job waits for an operator, not for a message.
    const suspended = await submit(['suspend']);
    await runJobStep(deps, kinds, (await messagesFor(suspended.jobId))[0], once, log);
    expect(await reseedStalledJob(plane, partition, suspended.jobId, new Date(Date.now() + 10 * JOB_STEP_GRACE_MS))).toBe(false);
  });

  test('malformed messages and unknown jobs are dropped', async () => {
    await expect(runJobStep(deps, kinds, { type: 'other' }, once, log)).resolves.toBeUndefined();
    await expect(runJobStep(deps, kinds, { type: 'jobStep', vaultKey: partition, jobId: randomUUID() }, once, log)).resolves.toBeUndefined();
  });
});
