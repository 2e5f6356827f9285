/**
 * Runs one job step from a queue message. Stale or duplicate messages (unknown job, finished job,
 * older `sequence`) are dropped. A `PermanentError` fails the job and the message is consumed; a
 * `RetryLaterError` runs the step again after its delay; other errors are rethrown for the queue to
 * retry, and on the last delivery the job is marked `Failed` first (the message then goes to
 * `jobs-poison`).
 */
import type { Deps } from '../deps.js';
import { PermanentError } from '../errors/PermanentError.js';
import { RetryLaterError } from '../errors/RetryLaterError.js';
import { ensureError } from '../errors/ensureError.js';
import { redactSecrets } from '../errors/redactSecrets.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import type { ControlPlane } from './controlPlane.js';
import { finishJob, isTerminal, jobError, type Job } from './jobModel.js';
import { contextFromTraceparent } from '../tracing/traceparent.js';
import { definedAttributes, SpanKind, withSpan } from '../tracing/withSpan.js';
import type { Span } from '@opentelemetry/api';
import { jobStepMessageSchema, type JobStepMessage } from './jobQueue.js';
import type { Logger } from '../logging/logger.js';
import { jobLogFields } from './jobLogFields.js';
import type { JobCatalogue, JobKindDefinition, JobStepContext, StepResult } from './jobKind.js';

/** Delivery facts of the message being processed. */
export interface StepDelivery {
  dequeueCount: number;
  /** The queue's `maxDequeueCount`: on the last delivery a failing step fails its job. */
  maxDequeueCount: number;
}

/** How a step's result reads in the log. */
function describeResult(result: StepResult): string {
  if (result === 'done') return 'the job succeeded';
  if (result === 'suspend') return 'the job is suspended until resumed';
  if (result === 'continue') return 'the next step is queued';
  return `the next step is queued in ${result.retryAfterMs} ms`;
}

/**
 * Runs the step `message` names, in a span continuing the trace of the message's sender (its
 * `jobId` attribute names the job); its log lines (and its kind's) carry the job's {@link jobLogFields}.
 */
export async function runJobStep(deps: Deps, kinds: JobCatalogue, message: unknown, delivery: StepDelivery, invocationLog: Logger): Promise<void> {
  const parsed = jobStepMessageSchema.safeParse(message);
  if (!parsed.success) {
    invocationLog.warn('Dropped a malformed job-step message.');
    return;
  }
  const step = parsed.data;
  await withSpan(
    'runJob step',
    {
      kind: SpanKind.CONSUMER,
      parent: contextFromTraceparent(step.traceparent),
      attributes: { jobId: step.jobId, 'job.sequence': step.sequence, 'messaging.message.delivery_count': delivery.dequeueCount },
    },
    (span) => runStep(deps, kinds, step, delivery, invocationLog, span),
  );
}

async function runStep(deps: Deps, kinds: JobCatalogue, step: JobStepMessage, delivery: StepDelivery, invocationLog: Logger, span: Span): Promise<void> {
  const plane = deps.plane;
  const { vaultKey: partition, jobId, sequence } = step;
  const row = await plane.jobs.get(partition, jobId);
  if (!row || isTerminal(row.value.state)) return;
  const fields = jobLogFields(row.value);
  span.updateName(`runJob ${row.value.kind}`);
  span.setAttributes(definedAttributes({ 'job.kind': row.value.kind, activityId: fields.activityId, vault: fields.vault, item: fields.item, plan: fields.plan }));
  const log = invocationLog.with(fields);
  if (row.value.state === 'Suspended' && !row.value.cancelRequested) return;
  if (sequence !== undefined && sequence !== row.value.sequence) {
    // A redelivered step (its invocation died) whose successor was recorded but maybe never sent.
    if (delivery.dequeueCount > 1 && sequence === row.value.sequence - 1) {
      await plane.jobQueue.enqueue({ type: 'jobStep', vaultKey: partition, jobId, sequence: row.value.sequence });
    }
    return;
  }

  const context: JobStepContext = {
    job: row,
    input: row.value.input,
    progress: row.value.progress,
    deps,
    repository: plane.repository,
    partition,
    log,
    updateJob: async (mutate) => {
      context.job = await plane.jobs.update(partition, jobId, mutate);
      return context.job;
    },
  };
  const kind = Object.hasOwn(kinds, row.value.kind) ? kinds[row.value.kind] : undefined;
  if (!kind) {
    log.error(`No definition is known for job kind '${row.value.kind}'.`);
    await failJob(context, undefined, new PermanentError(`No definition is known for job kind '${row.value.kind}'.`, { code: 'UnknownJobKind' }));
    return;
  }
  try {
    if (row.value.cancelRequested) {
      await kind.onCancel?.(context);
      await context.updateJob((job) => (isTerminal(job.state) ? undefined : finishJob(job, 'Cancelled')));
      log.info(`Job ${row.value.kind} cancelled.`);
      return;
    }
    if (row.value.state === 'NotStarted') {
      await context.updateJob((job) => (job.state === 'NotStarted' ? { ...job, state: 'InProgress', stateDescription: 'InProgress' } : undefined));
    }
    const result = await kind.run(context);
    // A job's end is news; its every step is detail (a 100-VM plan takes thousands).
    const line = `Job ${row.value.kind} step ${row.value.sequence}: ${describeResult(result)}.`;
    if (result === 'done' || result === 'suspend') log.info(line);
    else log.debug(line);
    if (result === 'done') {
      await context.updateJob((job) => (isTerminal(job.state) ? undefined : finishJob(job, 'Succeeded')));
    } else if (result === 'suspend') {
      await context.updateJob((job) => (isTerminal(job.state) ? undefined : { ...job, state: 'Suspended', stateDescription: 'Suspended' }));
    } else {
      await enqueueNext(plane, context.job, result === 'continue' ? 0 : result.retryAfterMs);
    }
  } catch (thrown) {
    const error = ensureError(thrown);
    if (error instanceof PermanentError) {
      log.warn(redactSecrets(`Job ${row.value.kind} step ${row.value.sequence} failed the job: ${error.code}: ${error.message}`));
      await failJob(context, kind, error, row.value.sequence);
      return;
    }
    if (error instanceof RetryLaterError) {
      log.log(`Job ${jobId}: ${error.message}`);
      await enqueueNext(plane, context.job, error.delayMs);
      return;
    }
    if (delivery.dequeueCount >= delivery.maxDequeueCount) {
      log.error(redactSecrets(`Job ${jobId} failed after ${delivery.dequeueCount} attempts: ${error.name}: ${error.message}`));
      await failJob(
        context,
        kind,
        new PermanentError('The job step failed repeatedly and was stopped.', {
          code: 'JobStepRetriesExhausted',
          possibleCauses: 'A storage service or site was unavailable, or the step hit an unexpected error.',
          recommendedAction: 'Check the service logs and the site, then restart the job.',
        }),
        row.value.sequence,
      );
    }
    throw error;
  } finally {
    span.setAttribute('job.state', context.job.value.state);
  }
}

/** Bumps the job's sequence (so only this chain continues) and enqueues its next step. */
async function enqueueNext(plane: ControlPlane, current: StoredRow<Job>, delayMs: number): Promise<void> {
  const expected = current.value.sequence;
  const row = await plane.jobs.update(current.partition, current.value.jobId, (job) =>
    job.sequence === expected && !isTerminal(job.state) ? { ...job, sequence: expected + 1, stepDueAt: new Date(Date.now() + delayMs).toISOString() } : undefined,
  );
  if (row.value.sequence !== expected + 1) return;
  await plane.jobQueue.enqueue({ type: 'jobStep', vaultKey: current.partition, jobId: current.value.jobId, sequence: expected + 1 }, delayMs);
}

/**
 * Fails the job with `error`, unless the job moved on since the step read it (`sequence`: a late
 * duplicate of an earlier step, or an action taken meanwhile) — a stale step's failure is not the job's.
 * The kind's `onFailed` (the item's failure outcome) runs before the job is marked: whoever sees the job
 * `Failed` sees its item failed too. Both are idempotent, so a step cut short between them is re-run.
 */
async function failJob(context: JobStepContext, kind: JobKindDefinition | undefined, error: PermanentError, sequence?: number): Promise<void> {
  const entry = jobError(error.code, redactSecrets(error.message), {
    ...(error.possibleCauses === undefined ? {} : { possibleCauses: error.possibleCauses }),
    ...(error.recommendedAction === undefined ? {} : { recommendedAction: error.recommendedAction }),
  });
  const isStale = (job: Job): boolean => sequence !== undefined && job.sequence !== sequence;
  const current = await context.deps.plane.jobs.get(context.partition, context.job.value.jobId);
  if (!current || isTerminal(current.value.state)) return;
  if (isStale(current.value)) {
    context.log.log(`Job ${context.job.value.kind}: a failure of step ${sequence ?? ''} came after the job moved on, and is not the job's (${error.code}).`);
    return;
  }
  context.job = current;
  await kind?.onFailed?.(context, error);
  await context.updateJob((job) => (isStale(job) || isTerminal(job.state) ? undefined : finishJob(job, 'Failed', new Date(), [entry])));
}
