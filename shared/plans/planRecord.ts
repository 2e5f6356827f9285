/**
 * A stored recovery plan: the sites it fails over between and its groups in ASR's order — the
 * Shutdown group, the Failover group, then up to seven Boot groups that hold the protected items —
 * each with the actions that run before and after it.
 */
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import type { ProvisioningState } from '../infra/provisioningJob.js';
import { ROW } from '../infra/rowKinds.js';
import type { PlanActionInput } from './planInput.js';

/** Row kind of recovery plans (partition: the vault; name: the plan). */
export const RECOVERY_PLAN_ROW = ROW.recoveryPlan;

export const RECOVERY_PLAN_TYPE = 'Microsoft.RecoveryServices/vaults/replicationRecoveryPlans';

export type GroupType = 'Shutdown' | 'Failover' | 'Boot';

/** An action of a group, as stored: what the request named (see `planInput.ts`), checked by `validatePlan.ts`. */
export type PlanAction = PlanActionInput;
export type PlanActionDetails = PlanActionInput['customDetails'];

/** A protected item of a plan, by its route and its VM. */
export interface PlanItem {
  fabricName: string;
  containerName: string;
  itemName: string;
  vmId: string;
}

export interface PlanGroup {
  groupType: GroupType;
  items: PlanItem[];
  startGroupActions: PlanAction[];
  endGroupActions: PlanAction[];
}

export interface RecoveryPlanRecord {
  name: string;
  primaryFabricName: string;
  recoveryFabricName: string;
  /** Whether the request named the recovery site as ASR's `"Microsoft Azure"` (shown back as given). */
  recoveryFabricAsAzure: boolean;
  failoverDeploymentModel: 'NotApplicable' | 'Classic' | 'ResourceManager';
  groups: PlanGroup[];
  provisioningState: ProvisioningState;
  currentScenario?: { scenarioName: string; jobId: string; startTime: string };
  /** The last plan job's state and its description (`currentScenarioStatus`). */
  lastScenarioStatus?: { status: string; description: string };
  lastTestFailoverTime?: string;
  lastPlannedFailoverTime?: string;
  lastUnplannedFailoverTime?: string;
  createdAt: string;
}

export const recoveryPlanPath = (vault: VaultRef, planName: string): string => vaultChildId(vault, ['replicationRecoveryPlans', planName]);

/** Every item of the plan, in group order. */
export const planItemsOf = (plan: Pick<RecoveryPlanRecord, 'groups'>): PlanItem[] => plan.groups.flatMap((group) => group.items);
