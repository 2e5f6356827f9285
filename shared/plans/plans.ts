/**
 * Creating, updating, reading and deleting recovery plans. Create and update are LROs with a job
 * (`CreateRecoveryPlan`, `UpdateRecoveryPlan`), as ASR's are; a plan that a job is running on
 * cannot be changed or deleted (409).
 */
import type { VaultRef } from '../arm/resourceId.js';
import { parseInput } from '../arm/parseInput.js';
import { validateName } from '../arm/validateName.js';
import type { ArmResource } from '../arm/armResource.js';
import type { RecoveryPlanSettings } from '../config.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { isTerminal, type Job } from '../jobs/jobModel.js';
import { submitProvisioning } from '../infra/provisioningJob.js';
import { findProtectedItem } from '../protection/itemLookup.js';
import type { ControlPlaneRepository, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { createPlanBody, updatePlanBody } from './planInput.js';
import { planItemsOf, RECOVERY_PLAN_ROW, recoveryPlanPath, type RecoveryPlanRecord } from './planRecord.js';
import { toRecoveryPlanResource } from './planResource.js';
import { resolvePlanFabric, validatePlanGroups } from './validatePlan.js';

const PLAN_TARGET = 'RecoveryPlan';

export async function requirePlan(repository: ControlPlaneRepository, vault: VaultRef, planName: string): Promise<StoredRow<RecoveryPlanRecord>> {
  validateName('recoveryPlanName', planName);
  const row = await repository.get<RecoveryPlanRecord>(vaultPartition(vault), RECOVERY_PLAN_ROW, planName);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `Recovery plan ${JSON.stringify(planName)} was not found.`, undefined, 'recoveryPlanName');
  return row;
}

/** 409 while a job runs on the plan (its current scenario's job is not finished). */
export async function assertPlanIdle(plane: Pick<ControlPlane, 'jobs'>, vault: VaultRef, plan: RecoveryPlanRecord): Promise<void> {
  const current = plan.currentScenario;
  if (!current) return;
  const job = await plane.jobs.get(vaultPartition(vault), current.jobId);
  if (job && !isTerminal(job.value.state)) {
    throw new HttpError(409, 'OperationInProgress', `The operation '${current.scenarioName}' (job ${current.jobId}) is in progress on recovery plan ${JSON.stringify(plan.name)}; retry when it has finished.`);
  }
}

export async function createPlan(plane: ControlPlane, settings: RecoveryPlanSettings, vault: VaultRef, planName: string, body: unknown): Promise<{ plan: RecoveryPlanRecord; job: Job }> {
  validateName('recoveryPlanName', planName);
  const input = parseInput(createPlanBody, body).properties;
  const primary = await resolvePlanFabric(plane.repository, vault, input.primaryFabricId, 'properties.primaryFabricId', 'HyperVSite');
  const recovery = await resolvePlanFabric(plane.repository, vault, input.recoveryFabricId, 'properties.recoveryFabricId', 'Azure');
  const groups = await validatePlanGroups(plane.repository, vault, input.groups, { primary, recovery }, settings);
  const partition = vaultPartition(vault);
  const existing = await plane.repository.get<RecoveryPlanRecord>(partition, RECOVERY_PLAN_ROW, planName);
  if (existing) await assertPlanIdle(plane, vault, existing.value);
  const plan: RecoveryPlanRecord = {
    ...(existing?.value ?? {}),
    name: planName,
    primaryFabricName: primary.name,
    recoveryFabricName: recovery.name,
    recoveryFabricAsAzure: input.recoveryFabricId.toLowerCase() === 'microsoft azure',
    failoverDeploymentModel: input.failoverDeploymentModel ?? 'NotApplicable',
    groups,
    provisioningState: existing ? 'Updating' : 'Creating',
    createdAt: existing?.value.createdAt ?? new Date().toISOString(),
  };
  const path = recoveryPlanPath(vault, planName);
  const job = await submitProvisioning(
    plane,
    {
      vault,
      input: { operation: existing ? 'update' : 'create', rowKind: RECOVERY_PLAN_ROW, name: [planName] },
      scenarioName: existing ? 'UpdateRecoveryPlan' : 'CreateRecoveryPlan',
      friendlyName: existing ? 'Update a recovery plan' : 'Create a recovery plan',
      targetObjectId: path,
      targetObjectName: planName,
      targetInstanceType: PLAN_TARGET,
      resultPath: path,
    },
    existing ? { action: 'replace', kind: RECOVERY_PLAN_ROW, name: planName, value: plan, etag: existing.etag } : { action: 'create', kind: RECOVERY_PLAN_ROW, name: planName, value: plan },
  );
  return { plan, job };
}

/** `PATCH`: the plan's groups replaced (checked as on create). */
export async function updatePlan(plane: ControlPlane, settings: RecoveryPlanSettings, vault: VaultRef, planName: string, body: unknown): Promise<{ plan: RecoveryPlanRecord; job: Job }> {
  const input = parseInput(updatePlanBody, body).properties;
  const row = await requirePlan(plane.repository, vault, planName);
  await assertPlanIdle(plane, vault, row.value);
  const primary = await resolvePlanFabric(plane.repository, vault, row.value.primaryFabricName, 'properties.primaryFabricId', 'HyperVSite');
  const recovery = await resolvePlanFabric(plane.repository, vault, row.value.recoveryFabricName, 'properties.recoveryFabricId', 'Azure');
  const groups = await validatePlanGroups(plane.repository, vault, input.groups, { primary, recovery }, settings);
  const plan: RecoveryPlanRecord = { ...row.value, groups, provisioningState: 'Updating' };
  const path = recoveryPlanPath(vault, planName);
  const job = await submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'update', rowKind: RECOVERY_PLAN_ROW, name: [planName] },
      scenarioName: 'UpdateRecoveryPlan',
      friendlyName: 'Update a recovery plan',
      targetObjectId: path,
      targetObjectName: planName,
      targetInstanceType: PLAN_TARGET,
      resultPath: path,
    },
    { action: 'replace', kind: RECOVERY_PLAN_ROW, name: planName, value: plan, etag: row.etag },
  );
  return { plan, job };
}

/** Starts deleting a plan (its items stay as they are); `undefined` when there is none. */
export async function deletePlan(plane: ControlPlane, vault: VaultRef, planName: string): Promise<Job | undefined> {
  validateName('recoveryPlanName', planName);
  const row = await plane.repository.get<RecoveryPlanRecord>(vaultPartition(vault), RECOVERY_PLAN_ROW, planName);
  if (!row) return undefined;
  await assertPlanIdle(plane, vault, row.value);
  return submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'delete', rowKind: RECOVERY_PLAN_ROW, name: [planName] },
      scenarioName: 'DeleteRecoveryPlan',
      friendlyName: 'Delete a recovery plan',
      targetObjectId: recoveryPlanPath(vault, planName),
      targetObjectName: planName,
      targetInstanceType: PLAN_TARGET,
    },
    { action: 'replace', kind: RECOVERY_PLAN_ROW, name: planName, value: { ...row.value, provisioningState: 'Deleting' }, etag: row.etag },
  );
}

export function listPlans(repository: ControlPlaneRepository, vault: VaultRef, continuationToken?: string): Promise<RowPage<RecoveryPlanRecord>> {
  return repository.list<RecoveryPlanRecord>(vaultPartition(vault), RECOVERY_PLAN_ROW, continuationToken ? { continuationToken } : {});
}

/** The plan's view, with its items' states and its current job read now. */
export async function describePlan(plane: Pick<ControlPlane, 'repository' | 'jobs'>, vault: VaultRef, plan: RecoveryPlanRecord): Promise<ArmResource> {
  const items = await Promise.all(planItemsOf(plan).map(async (item) => (await findProtectedItem(plane.repository, vault, item.fabricName, item.containerName, item.itemName))?.value));
  const scenarioJob = plan.currentScenario ? (await plane.jobs.get(vaultPartition(vault), plan.currentScenario.jobId))?.value : undefined;
  return toRecoveryPlanResource(vault, plan, { items, ...(scenarioJob ? { scenarioJob } : {}) });
}
