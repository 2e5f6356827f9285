import { app, type InvocationContext } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { jobKinds } from '../shared/jobs/jobKinds.js';
import { JOBS_QUEUE } from '../shared/jobs/jobQueue.js';
import { runJobStep } from '../shared/jobs/runJobStep.js';

/** Runs one step of a job from the `jobs` queue. */
export async function runJob(message: unknown, context: InvocationContext): Promise<void> {
  const deps = appDeps();
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  await runJobStep(deps, jobKinds, message, { dequeueCount, maxDequeueCount: deps.config.maxDequeueCount }, invocationLogger(context));
}

app.storageQueue('runJob', {
  queueName: JOBS_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: runJob,
});
