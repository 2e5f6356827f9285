import { app, type InvocationContext } from '@azure/functions';
import { getControlPlane } from '../shared/jobs/controlPlane.js';
import { JOBS_QUEUE } from '../shared/jobs/jobQueue.js';
import { runJobStep } from '../shared/jobs/runJobStep.js';

/** Same value as `extensions.queues.maxDequeueCount` in host.json. */
const MAX_DEQUEUE_COUNT = 5;

/** Runs one step of a job from the `jobs` queue. */
export async function runJob(message: unknown, context: InvocationContext): Promise<void> {
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  await runJobStep(getControlPlane(), message, { dequeueCount, maxDequeueCount: MAX_DEQUEUE_COUNT }, context);
}

app.storageQueue('runJob', {
  queueName: JOBS_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: runJob,
});
