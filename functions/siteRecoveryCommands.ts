import { app, type InvocationContext } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { createArmRouter } from '../shared/automation/armRouter.js';
import { COMMANDS_QUEUE } from '../shared/automation/commandEnvelope.js';
import { runCommand } from '../shared/automation/runCommand.js';
import { ARM_API } from './arm/armApi.js';
import { invocationSpan } from '../shared/tracing/invocationSpan.js';

const router = createArmRouter(ARM_API);

/** A command by queue: an ARM request in an envelope, run through the HTTP API's own functions. */
export async function siteRecoveryCommands(message: unknown, context: InvocationContext): Promise<void> {
  await invocationSpan(context, () => runCommand(appDeps(), router, message, context));
}

app.storageQueue('siteRecoveryCommands', {
  queueName: COMMANDS_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: siteRecoveryCommands,
});
