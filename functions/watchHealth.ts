import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { reportHealthChanges } from '../shared/events/healthWatch.js';

/** Health changes of items and hosts become events (replication health, test failover overdue, a host gone silent). */
export async function watchHealth(_timer: Timer, context: InvocationContext): Promise<void> {
  const log = invocationLogger(context);
  await reportHealthChanges(appDeps(), new Date(), log);
}

app.timer('watchHealth', {
  schedule: '*/10 * * * * *',
  handler: watchHealth,
});
