/**
 * DataReplication's `plannedFailover` on a protected item (body `PlannedFailoverModel`, custom
 * properties `HyperVToAzStackHCI { shutdownSourceVM }`), admitted as the very planned failover the
 * replication protected item's `plannedFailover` admits: same machine, same job, same checks. After
 * a re-protect the item replicates back to its primary site and the same call is its failback, as
 * in ASR.
 *
 * A planned failover is the one that loses nothing: it shuts the VM down where it runs, replicates
 * its last writes, then brings it up on the other side. `shutdownSourceVM: false` asks for a
 * failover while the VM keeps running and writing: nothing it writes after the last point would
 * reach the other side, and the service's fencing of its disks would fail those writes under it —
 * that is an unplanned failover (ASR's `sourceSiteOperations: 'NotRequired'`), which an operator who
 * chose "planned" does not expect to get. It is refused with a 400 naming the operation that does it.
 */
import { z } from 'zod';
import type { VaultRef } from '../arm/resourceId.js';
import { parseInput } from '../arm/parseInput.js';
import type { Deps } from '../deps.js';
import { HttpError } from '../errors/HttpError.js';
import type { Job } from '../jobs/jobModel.js';
import { plannedFailover } from '../protection/failoverCommands.js';
import { HCI_INSTANCE_TYPE } from './dataReplicationIds.js';
import { requireProtectedItemByName } from './findProtectedItemByName.js';

const SHUTDOWN_FIELD = 'properties.customProperties.shutdownSourceVM';

export const plannedFailoverModel = z.object({
  properties: z.object({
    customProperties: z.object({
      instanceType: z.literal(HCI_INSTANCE_TYPE, `must be '${HCI_INSTANCE_TYPE}'`),
      shutdownSourceVM: z.boolean('must be true or false'),
    }),
  }),
});

export type PlannedFailoverModel = z.infer<typeof plannedFailoverModel>;

/** The model a planned failover was admitted with, as its result echoes it. */
export const admittedPlannedFailover: PlannedFailoverModel = { properties: { customProperties: { instanceType: HCI_INSTANCE_TYPE, shutdownSourceVM: true } } };

/** What the admission gets. */
export interface PlannedFailoverRequest {
  deps: Deps;
  vault: VaultRef;
  itemName: string;
  body: unknown;
  clientRequestId?: string;
}

/** Validates the body, finds the item by name and admits its planned failover; the job is the operation the client follows. */
export async function admitPlannedFailover(request: PlannedFailoverRequest): Promise<{ job: Job; itemName: string }> {
  const input = parseInput(plannedFailoverModel, request.body).properties.customProperties;
  if (!input.shutdownSourceVM) {
    throw new HttpError(
      400,
      'InvalidParameter',
      `Invalid value for '${SHUTDOWN_FIELD}': a planned failover shuts the source VM down so that its last writes are replicated and nothing is lost. To fail over while the source keeps running, run an unplanned failover (POST …/replicationProtectedItems/{item}/unplannedFailover with sourceSiteOperations 'NotRequired').`,
      undefined,
      SHUTDOWN_FIELD,
    );
  }
  const row = await requireProtectedItemByName(request.deps.plane.repository, request.vault, request.itemName);
  const item = row.value;
  const job = await plannedFailover({
    deps: request.deps,
    vault: request.vault,
    route: { fabricName: item.fabricName, containerName: item.containerName, itemName: item.name },
    body: { properties: {} },
    ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}),
  });
  return { job, itemName: item.name };
}
