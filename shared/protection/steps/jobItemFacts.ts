/** What a job's item holds that its steps look up: the VMs the service made, and the point the job pinned. */
import type { ServiceVm } from '../../domain/protectionEffects.js';
import { PermanentError } from '../../errors/PermanentError.js';
import type { RecoveryPoint } from '../../replication/recoveryPoint.js';
import type { ItemEnv } from '../itemWorkflow.js';
import { pointsKeyOf, type ProtectedItemRecord, type RecoveryVmRef } from '../protectedItemRecord.js';
import { vmIdFor } from '../recoveryVms.js';

/** The service-made VM an effect names: the test VM, the failed-over VM, or the one a change of point replaces (not this job's own). */
export function serviceVmOf(item: ProtectedItemRecord, vm: ServiceVm, jobId: string): RecoveryVmRef | undefined {
  if (vm === 'test') return item.testVm;
  if (vm === 'recovery') return item.recoveryVm;
  return item.recoveryVm && item.recoveryVm.vmId !== vmIdFor(jobId, 'failover') ? item.recoveryVm : undefined;
}

/** The direction of the points the job's plan chooses from (its pin), else the item's. */
export const pinnedDirection = (env: ItemEnv) => env.input.plan.find((effect) => effect.type === 'pinPoint')?.direction;

/** The point the job pinned. */
export async function pinnedPoint(env: ItemEnv, item: ProtectedItemRecord): Promise<RecoveryPoint> {
  const point = env.data.pointId ? await env.deps.points.get(pointsKeyOf(item, pinnedDirection(env)), env.data.pointId) : undefined;
  if (!point) throw new PermanentError('The chosen recovery point no longer exists.', { code: 'RecoveryPointNotFound' });
  return point;
}
