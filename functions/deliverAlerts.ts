import { app, type InvocationContext } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { ALERT_DELIVERIES_QUEUE, deliverAlert } from '../shared/alerts/alertDeliveries.js';
import { invocationSpan } from '../shared/tracing/invocationSpan.js';

/** One attempt at POSTing an event to an alert setting's webhook (failed attempts come back later). */
export async function deliverAlerts(message: unknown, context: InvocationContext): Promise<void> {
  const log = invocationLogger(context);
  const { plane, queues, scripts } = appDeps();
  await invocationSpan(context, () => deliverAlert({ repository: plane.repository, queues, scripts, events: plane.events }, message, log));
}

app.storageQueue('deliverAlerts', {
  queueName: ALERT_DELIVERIES_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: deliverAlerts,
});
