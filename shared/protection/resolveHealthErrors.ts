/**
 * `resolveHealthErrors`: the operator marks health errors of an item as dealt with. A recorded
 * failure (the last replication cycle's error) is cleared; a condition that still holds (a lagging
 * RPO, no recent test failover) cannot be resolved by hand — it clears when the condition ends —
 * and naming one is a 400, as is an id the item does not show. Complete when written.
 */
import { z } from 'zod';
import { parseInput } from '../arm/parseInput.js';
import { cycleErrorId } from '../domain/replicationHealth.js';
import { HttpError } from '../errors/HttpError.js';
import { requireProtectedItem } from './itemLookup.js';
import type { ItemOperation } from './itemOperation.js';
import { recordFinishedJob } from './recordFinishedJob.js';

/** The body of `POST …/replicationProtectedItems/{item}/resolveHealthErrors`. */
export const resolveHealthErrorsBody = z.object({
  properties: z.object({
    healthErrors: z.array(z.object({ healthErrorId: z.string().min(1).max(256) }).loose()).min(1, 'must name at least one health error').max(50),
  }),
});

/** Codes of health errors that describe a condition, not a recorded failure. */
const CONDITIONS: ReadonlySet<string> = new Set(['RpoThresholdExceeded', 'RpoThresholdWarning', '161011']);

export const resolveHealthErrors: ItemOperation = async (request) => {
  const named = parseInput(resolveHealthErrorsBody, request.body).properties.healthErrors;
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const recorded = row.value.replication.lastCycleError;
  for (const [index, { healthErrorId }] of named.entries()) {
    const field = `properties.healthErrors.${index}.healthErrorId`;
    if (recorded && healthErrorId === cycleErrorId(recorded)) continue;
    const problem = CONDITIONS.has(healthErrorId)
      ? `the health error ${JSON.stringify(healthErrorId)} describes a condition that clears by itself once it no longer holds; it cannot be resolved by hand.`
      : `the item shows no health error ${JSON.stringify(healthErrorId)}.`;
    throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);
  }
  return recordFinishedJob(request.deps.plane, row, {
    job: { kind: 'updateProtectedItem', scenarioName: 'ResolveHealthError', friendlyName: 'Resolve health errors', tasks: ['Resolving the health errors'] },
    ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}),
    apply: (record) => ({ ...record, replication: { ...record.replication, lastCycleError: undefined } }),
  });
};
