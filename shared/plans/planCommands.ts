/**
 * Admitting a plan operation: the plan is idle, every item of it allows the operation now and runs
 * nothing else (else a 409 naming the item), and the plan job (its stages and the request each item
 * gets) is written with the plan's `currentScenario` in one ETag-conditional transaction.
 */
import { parseInput } from '../arm/parseInput.js';
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { scenariosTakenOverBy } from '../domain/itemScenarios.js';
import { transition } from '../domain/protectionMachine.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import { newJob, type Job } from '../jobs/jobModel.js';
import { ensureJobStarted, submitJob } from '../jobs/submitJob.js';
import { assertNoOperationInProgress } from '../protection/admitItemCommand.js';
import { findProtectedItem } from '../protection/itemLookup.js';
import { jobIdForRequest } from '../protection/itemJobSpec.js';
import { protectedItemPath } from '../protection/protectedItemRecord.js';
import { vaultPartition } from '../repos/partitions.js';
import { RECOVERY_PLAN_JOB, type PlanJobInput } from './planJob.js';
import { itemEventOf, planBodySchema, planRequestOf, PLAN_JOB_NAMES } from './planInputs.js';
import { initialPlanProgress, planTasks } from './planProgress.js';
import { planItemsOf, RECOVERY_PLAN_ROW, recoveryPlanPath } from './planRecord.js';
import { assertPlanIdle, requirePlan } from './plans.js';
import { planStages, type PlanOperation } from './planStages.js';

/** The plan operations by the name of their route, as the official client sends them. */
export const PLAN_OPERATION_ROUTES: Readonly<Record<string, PlanOperation>> = {
  testfailover: 'TestFailover',
  testfailovercleanup: 'TestFailoverCleanup',
  plannedfailover: 'PlannedFailover',
  unplannedfailover: 'UnplannedFailover',
  failovercommit: 'Commit',
  failovercancel: 'CancelFailover',
  reprotect: 'ReverseReplicate',
};

export async function admitPlanOperation(deps: Pick<Deps, 'plane' | 'config'>, vault: VaultRef, planName: string, operation: PlanOperation, body: unknown, clientRequestId?: string): Promise<Job> {
  const plane = deps.plane;
  const partition = vaultPartition(vault);
  const jobId = clientRequestId ? jobIdForRequest(vault, clientRequestId) : undefined;
  const earlier = jobId ? await plane.jobs.get(partition, jobId) : undefined;
  if (earlier && earlier.value.kind === RECOVERY_PLAN_JOB) return ensureJobStarted(plane, earlier.value);
  const row = await requirePlan(plane.repository, vault, planName);
  const plan = row.value;
  await assertPlanIdle(plane, vault, plan);
  parseInput(planBodySchema(operation), body ?? {});
  const records = await Promise.all(planItemsOf(plan).map(async (item) => ({ item, record: (await findProtectedItem(plane.repository, vault, item.fabricName, item.containerName, item.itemName))?.value })));
  const request = planRequestOf(operation, body, records[0]?.record?.state.replicationDirection ?? 'PrimaryToRecovery');
  const event = itemEventOf(request);
  for (const { item, record } of records) {
    if (!record) throw new HttpError(409, 'PlanItemNotFound', `Virtual machine '${item.itemName}' of recovery plan ${JSON.stringify(plan.name)} is no longer protected; update the plan.`);
    const moved = transition(record.state, event);
    if (!moved.ok) throw new HttpError(409, 'OperationNotAllowed', `Virtual machine '${item.itemName}': ${moved.reason}`, undefined, protectedItemPath(vault, item.fabricName, item.containerName, item.itemName));
    try {
      assertNoOperationInProgress(record, scenariosTakenOverBy(event));
    } catch (error) {
      if (error instanceof HttpError) throw new HttpError(409, error.code, `Virtual machine '${item.itemName}': ${error.message}`);
      throw error;
    }
  }
  const stages = planStages(plan.groups, {
    operation,
    direction: request.direction,
    shutsDownSources: request.direction === 'PrimaryToRecovery' && (operation === 'PlannedFailover' || (operation === 'UnplannedFailover' && request.sourceSiteOperations === 'Required')),
  });
  const path = recoveryPlanPath(vault, plan.name);
  const input: PlanJobInput = { planName: plan.name, request, stages, parallelism: deps.config.recoveryPlans.parallelism };
  const job = newJob({
    kind: RECOVERY_PLAN_JOB,
    vault,
    ...PLAN_JOB_NAMES[operation],
    targetObjectId: path,
    targetObjectName: plan.name,
    targetInstanceType: 'RecoveryPlan',
    resultPath: path,
    input,
    ...(jobId ? { jobId } : {}),
  });
  job.tasks = planTasks(stages, initialPlanProgress(stages.length), (item) => protectedItemPath(vault, item.fabricName, item.containerName, item.itemName));
  try {
    return await submitJob(plane, job, [
      { action: 'replace', kind: RECOVERY_PLAN_ROW, name: plan.name, value: { ...plan, currentScenario: { scenarioName: job.scenarioName, jobId: job.jobId, startTime: job.startTime } }, etag: row.etag },
    ]);
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    const raced = jobId ? await plane.jobs.get(partition, jobId) : undefined;
    if (raced) return raced.value;
    throw new HttpError(409, 'OperationInProgress', `Recovery plan ${JSON.stringify(plan.name)} was changed by another operation; retry the request.`);
  }
}
