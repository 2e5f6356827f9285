import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { startDueDrills } from '../shared/drills/startDueDrills.js';

/** Starts the drills whose schedule has come (each run once, whichever instance claims it). */
export async function runDrills(_timer: Timer, context: InvocationContext): Promise<void> {
  const log = invocationLogger(context);
  await startDueDrills(appDeps(), new Date(), log);
}

app.timer('runDrills', {
  schedule: '*/10 * * * * *',
  handler: runDrills,
});
