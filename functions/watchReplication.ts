import { app, type InvocationContext, type Timer } from '@azure/functions';
import { getProtectionServices } from '../shared/protection/protectionServices.js';
import { reseedStalledChains } from '../shared/protection/sweepProtectedItems.js';

/** Resumes replication chains whose next step went missing (a crash between write and enqueue). */
export async function watchReplication(_timer: Timer, context: InvocationContext): Promise<void> {
  await reseedStalledChains(getProtectionServices(), new Date(), context);
}

app.timer('watchReplication', {
  schedule: '*/30 * * * * *',
  handler: watchReplication,
});
