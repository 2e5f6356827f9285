import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { reseedStalledChains } from '../shared/protection/sweepProtectedItems.js';

/** Resumes replication chains whose next step went missing (a crash between write and enqueue). */
export async function watchReplication(_timer: Timer, context: InvocationContext): Promise<void> {
  const log = invocationLogger(context);
  await reseedStalledChains(appDeps(), new Date(), log);
}

app.timer('watchReplication', {
  schedule: '*/30 * * * * *',
  handler: watchReplication,
});
