import { app, type InvocationContext, type Timer } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { reseedStalledJobs } from '../shared/jobs/reseedStalledJobs.js';
import { invocationLogger } from '../shared/logging/invocationLogger.js';
import { RECOVERY_PLAN_ROW } from '../shared/plans/planRecord.js';
import { PROTECTED_ITEM_ROW } from '../shared/protection/protectedItemRecord.js';

/** Re-sends the next step of jobs that lost it (items' and recovery plans' running jobs). */
export async function watchJobs(_timer: Timer, context: InvocationContext): Promise<void> {
  const log = invocationLogger(context);
  const reseeded = await reseedStalledJobs(appDeps().plane, [PROTECTED_ITEM_ROW, RECOVERY_PLAN_ROW], new Date(), log);
  if (reseeded > 0) log.info(`Sent ${reseeded} stalled job steps again.`);
}

app.timer('watchJobs', {
  schedule: '5,25,45 * * * * *',
  handler: watchJobs,
});
