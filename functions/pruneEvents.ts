import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { pruneEvents as pruneOldEvents } from '../shared/events/pruneEvents.js';

/** Hourly: events and queue-command records past the retention are deleted. */
export async function pruneEvents(_timer: Timer, context: InvocationContext): Promise<void> {
  const log = invocationLogger(context);
  const pruned = await pruneOldEvents(appDeps(), new Date());
  if (pruned.events + pruned.commands > 0) log.info(`Pruned ${pruned.events} events and ${pruned.commands} command records past the retention.`);
}

app.timer('pruneEvents', {
  schedule: '0 17 * * * *',
  handler: pruneEvents,
});
