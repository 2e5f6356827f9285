import { app, type InvocationContext } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { createArmRouter } from '../shared/automation/armRouter.js';
import { checkCommandWatch, COMMAND_WATCHES_QUEUE } from '../shared/automation/completionWatch.js';
import { ARM_API } from './arm/armApi.js';
import { invocationSpan } from '../shared/tracing/invocationSpan.js';

const router = createArmRouter(ARM_API);

/** Watches the operation a queue command started and replies its completion once it has ended. */
export async function commandCompletions(message: unknown, context: InvocationContext): Promise<void> {
  await invocationSpan(context, () => checkCommandWatch(appDeps(), router, message, context));
}

app.storageQueue('commandCompletions', {
  queueName: COMMAND_WATCHES_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: commandCompletions,
});
