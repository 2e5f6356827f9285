/**
 * Disable protection (`remove`, and `DELETE` = purge): admitted when the state machine allows
 * `DisableProtection`; the job (`workflows/disableProtectionJob.ts`) deletes what replication wrote
 * and then the item. Purging a missing item is nothing to do; removing one is a 404.
 */
import { parseInput } from '../arm/parseInput.js';
import type { VaultRef } from '../arm/resourceId.js';
import { scenariosTakenOverBy } from '../domain/itemScenarios.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import type { Job } from '../jobs/jobModel.js';
import { admitItemCommand } from './admitItemCommand.js';
import { findProtectedItem, requireItemRoute, requireProtectedItem, type ItemRoute } from './itemLookup.js';
import { taskNamesOf } from './itemWorkflow.js';
import { disableProtectionBody } from './protectionInputs.js';
import { disableProtectionWorkflow } from './workflows/disableProtectionJob.js';

/** Admits disabling protection of an item (`purge`: the `DELETE` form); `undefined` when there is nothing to purge. */
export async function disableProtection(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  vault: VaultRef,
  route: ItemRoute,
  body: unknown,
  options: { purge: boolean; clientRequestId?: string },
): Promise<Job | undefined> {
  const input = parseInput(disableProtectionBody, body ?? {}).properties;
  let row;
  if (options.purge) {
    const names = await requireItemRoute(plane.repository, vault, route.fabricName, route.containerName, route.itemName);
    row = await findProtectedItem(plane.repository, vault, names.fabricName, names.containerName, route.itemName);
    if (!row) return undefined;
  } else {
    row = await requireProtectedItem(plane.repository, vault, route);
  }
  const event = { type: 'DisableProtection', purge: options.purge } as const;
  const current = row.value.currentScenario;
  const preemptedJobId = current && scenariosTakenOverBy(event).has(current.scenarioName) ? current.jobId : undefined;
  const { job } = await admitItemCommand(plane, row, {
    event,
    ...(options.clientRequestId ? { clientRequestId: options.clientRequestId } : {}),
    job: {
      kind: disableProtectionWorkflow.kind,
      scenarioName: 'DisableDr',
      friendlyName: 'Disable replication',
      tasks: taskNamesOf(disableProtectionWorkflow),
      input: { purge: options.purge, reason: input?.disableProtectionReason ?? 'NotSpecified', ...(preemptedJobId ? { preemptedJobId } : {}) },
      result: 'job',
    },
  });
  return job;
}
