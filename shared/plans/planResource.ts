/**
 * A recovery plan as ASR shows it (`RecoveryPlanProperties`). Its `allowedOperations` come from its
 * items: an operation is allowed when every item allows it (a plan without items allows the
 * failovers, as ASR's does); while a plan job runs (or waits for its operator), nothing else is. Pure.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { allowedOperations } from '../domain/allowedOperations.js';
import type { Operation } from '../domain/protectionState.js';
import type { Job } from '../jobs/jobModel.js';
import { protectedItemPath, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { RECOVERY_PLAN_TYPE, recoveryPlanPath, type PlanAction, type PlanGroup, type RecoveryPlanRecord } from './planRecord.js';

/** The plan operations in the order ASR lists them. */
export const PLAN_OPERATIONS: readonly Operation[] = ['PlannedFailover', 'Failback', 'UnplannedFailover', 'TestFailover', 'TestFailoverCleanup', 'Commit', 'CancelFailover', 'ReverseReplicate'];

const EMPTY_PLAN_OPERATIONS: readonly Operation[] = ['PlannedFailover', 'UnplannedFailover', 'TestFailover'];

/** What the plan allows now, from its items' states (`items` in plan order; a missing item allows nothing). */
export function planAllowedOperations(plan: RecoveryPlanRecord, items: ReadonlyArray<ProtectedItemRecord | undefined>, runningJob: Job | undefined): Operation[] {
  if (runningJob) return [];
  if (items.length === 0) return [...EMPTY_PLAN_OPERATIONS];
  const perItem = items.map((item) => new Set<Operation>(item ? allowedOperations(item.state) : []));
  return PLAN_OPERATIONS.filter((operation) => perItem.every((ops) => ops.has(operation)));
}

const actionView = (action: PlanAction) => ({ actionName: action.actionName, failoverTypes: action.failoverTypes, failoverDirections: action.failoverDirections, customDetails: action.customDetails });

function groupView(vault: VaultRef, group: PlanGroup) {
  return {
    groupType: group.groupType,
    replicationProtectedItems: group.items.map((item) => ({ id: protectedItemPath(vault, item.fabricName, item.containerName, item.itemName), virtualMachineId: item.vmId })),
    startGroupActions: group.startGroupActions.map(actionView),
    endGroupActions: group.endGroupActions.map(actionView),
  };
}

export interface PlanViewContext {
  /** The plan's items in plan order, as stored now. */
  items: ReadonlyArray<ProtectedItemRecord | undefined>;
  /** The job of the plan's current scenario, if any. */
  scenarioJob?: Job;
}

export function toRecoveryPlanResource(vault: VaultRef, plan: RecoveryPlanRecord, context: PlanViewContext): ArmResource {
  const job = context.scenarioJob;
  const running = job && !['Succeeded', 'Failed', 'Cancelled'].includes(job.state) ? job : undefined;
  const properties: Record<string, unknown> = {
    friendlyName: plan.name,
    primaryFabricId: vaultChildId(vault, ['replicationFabrics', plan.primaryFabricName]),
    primaryFabricFriendlyName: plan.primaryFabricName,
    recoveryFabricId: plan.recoveryFabricAsAzure ? 'Microsoft Azure' : vaultChildId(vault, ['replicationFabrics', plan.recoveryFabricName]),
    recoveryFabricFriendlyName: plan.recoveryFabricAsAzure ? 'Microsoft Azure' : plan.recoveryFabricName,
    failoverDeploymentModel: plan.failoverDeploymentModel,
    replicationProviders: ['HyperVReplicaAzure'],
    allowedOperations: planAllowedOperations(plan, context.items, running),
    groups: plan.groups.map((group) => groupView(vault, group)),
    providerSpecificDetails: [],
  };
  if (plan.lastTestFailoverTime) properties.lastTestFailoverTime = plan.lastTestFailoverTime;
  if (plan.lastPlannedFailoverTime) properties.lastPlannedFailoverTime = plan.lastPlannedFailoverTime;
  if (plan.lastUnplannedFailoverTime) properties.lastUnplannedFailoverTime = plan.lastUnplannedFailoverTime;
  if (plan.currentScenario) {
    properties.currentScenario = { ...plan.currentScenario, jobId: vaultChildId(vault, ['replicationJobs', plan.currentScenario.jobId]) };
    if (job) {
      properties.currentScenarioStatus = job.state;
      properties.currentScenarioStatusDescription = job.stateDescription;
    }
  }
  return armResource(recoveryPlanPath(vault, plan.name), plan.name, RECOVERY_PLAN_TYPE, properties);
}
