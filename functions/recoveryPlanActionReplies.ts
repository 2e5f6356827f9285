import { app, type InvocationContext } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { recordRunbookReply } from '../shared/plans/runbookReplies.js';
import { RUNBOOK_REPLIES_QUEUE } from '../shared/plans/runbookQueues.js';
import { invocationSpan } from '../shared/tracing/invocationSpan.js';

/** A runbook worker's answer to a recovery plan action, kept for the plan job that waits on it. */
export async function recoveryPlanActionReplies(message: unknown, context: InvocationContext): Promise<void> {
  const log = invocationLogger(context);
  await invocationSpan(context, () => recordRunbookReply(appDeps().plane.repository, message, log));
}

app.storageQueue('recoveryPlanActionReplies', {
  queueName: RUNBOOK_REPLIES_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: recoveryPlanActionReplies,
});
