import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { pruneAllItems } from '../shared/protection/sweepProtectedItems.js';

/** Deletes recovery points past each policy's retention, thinning older ones to one per hour. */
export async function pruneRecoveryPoints(_timer: Timer, context: InvocationContext): Promise<void> {
  const log = invocationLogger(context);
  const { items, deleted } = await pruneAllItems(appDeps(), new Date(), log);
  if (deleted > 0) log.info(`Pruned ${deleted} recovery points across ${items} protected items.`);
}

app.timer('pruneRecoveryPoints', {
  schedule: '0 */5 * * * *',
  handler: pruneRecoveryPoints,
});
