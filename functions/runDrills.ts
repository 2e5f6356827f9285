import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { startDueDrills } from '../shared/drills/startDueDrills.js';

/** Starts the drills whose schedule has come (each run once, whichever instance claims it). */
export async function runDrills(_timer: Timer, context: InvocationContext): Promise<void> {
  await startDueDrills(appDeps(), new Date(), context);
}

app.timer('runDrills', {
  schedule: '*/10 * * * * *',
  handler: runDrills,
});
