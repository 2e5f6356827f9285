/**
 * Repair replication (`repairReplication`): admission moves the item to `ResynchronizationInProgress`
 * and restarts its chain with a pending resync in the same write as the job
 * (`workflows/repairReplicationJob.ts`), which follows the resync until the item is `Protected`.
 */
import type { Job } from '../jobs/jobModel.js';
import { admitItemCommand } from './admitItemCommand.js';
import { requireProtectedItem } from './itemLookup.js';
import type { ItemOperationRequest } from './itemOperation.js';
import { taskNamesOf } from './itemWorkflow.js';
import { repairReplicationWorkflow } from './workflows/repairReplicationJob.js';

/** Admits repair replication of an item. */
export async function repairReplication(request: ItemOperationRequest): Promise<Job> {
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const { job } = await admitItemCommand(request.deps.plane, row, {
    event: { type: 'RepairReplication' },
    ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}),
    job: { kind: repairReplicationWorkflow.kind, scenarioName: 'RepairVMReplication', friendlyName: 'Resynchronize the virtual machine', tasks: taskNamesOf(repairReplicationWorkflow) },
  });
  return job;
}
