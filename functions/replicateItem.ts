import { app, type InvocationContext } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { REPLICATION_QUEUE } from '../shared/protection/replicationQueue.js';
import { advanceReplication } from '../shared/protection/replicationChain.js';

/** Runs one step of a protected item's replication chain. */
export async function replicateItem(message: unknown, context: InvocationContext): Promise<void> {
  const deps = appDeps();
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  await advanceReplication(deps, message, { dequeueCount, maxDequeueCount: deps.config.maxDequeueCount }, invocationLogger(context));
}

app.storageQueue('replicateItem', {
  queueName: REPLICATION_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: replicateItem,
});
