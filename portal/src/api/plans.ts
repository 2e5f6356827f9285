/** Recovery plans: list, get and their operations. */
import { API_VERSIONS } from '../settings.js';
import { armGet, armList, armPost, type ArmAnswer } from './armClient.js';
import { planPath, vaultPath, type VaultRef } from './resourcePaths.js';
import type { RecoveryPlan } from './types.js';

const call = { apiVersion: API_VERSIONS.siteRecovery };

export const listPlans = (vault: VaultRef): Promise<RecoveryPlan[]> => armList<RecoveryPlan>(`${vaultPath(vault)}/replicationRecoveryPlans`, call);

export const getPlan = (vault: VaultRef, plan: string): Promise<RecoveryPlan> => armGet<RecoveryPlan>(planPath(vault, plan), call);

/** Starts an operation (`testFailover`, `plannedFailover`, …) of the plan. */
export const postPlanOperation = (vault: VaultRef, plan: string, operation: string, body?: unknown): Promise<ArmAnswer> =>
  armPost(`${planPath(vault, plan)}/${operation}`, call, body);
