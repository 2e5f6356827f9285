/**
 * The actions of a recovery plan (`POST …/replicationRecoveryPlans/{plan}/{operation}`), offered when
 * the plan's `allowedOperations` has them, with the words their confirmation says. Plan bodies carry
 * `providerSpecificDetails` as an array, and a test failover names its network type. Pure.
 */
import type { RecoveryPlan } from '../api/types.js';
import type { ActionRequest } from './itemActions.js';

export const PLAN_ACTION_NAMES = ['TestFailover', 'TestFailoverCleanup', 'PlannedFailover', 'Failback', 'UnplannedFailover', 'Commit', 'CancelFailover', 'ReverseReplicate'] as const;
export type PlanActionName = (typeof PLAN_ACTION_NAMES)[number];

/** The recovery point types a plan's failover offers. */
export type PlanPointType = 'Latest' | 'LatestProcessed' | 'LatestApplicationConsistent';
export const PLAN_POINT_TYPES: ReadonlyArray<{ value: PlanPointType; label: string }> = [
  { value: 'Latest', label: 'Latest (lowest RPO)' },
  { value: 'LatestProcessed', label: 'Latest processed (lowest RTO)' },
  { value: 'LatestApplicationConsistent', label: 'Latest app-consistent' },
];

export interface PlanActionInput {
  pointType?: PlanPointType;
  comments?: string;
  /** Where the plan's VMs replicate now: failovers move them the same way. */
  direction: 'PrimaryToRecovery' | 'RecoveryToPrimary';
}

export interface PlanActionDefinition {
  label: string;
  asks?: 'pointType' | 'comments';
  destructive?: boolean;
  consequence(plan: RecoveryPlan): string;
  request(input: PlanActionInput): ActionRequest;
}

const HYPER_V = 'HyperVReplicaAzure';
const nameOf = (plan: RecoveryPlan): string => plan.properties.friendlyName ?? plan.name;
const details = (input: PlanActionInput) => [{ instanceType: HYPER_V, ...(input.pointType && input.pointType !== 'Latest' ? { recoveryPointType: input.pointType } : {}) }];

export const PLAN_ACTIONS: Readonly<Record<PlanActionName, PlanActionDefinition>> = {
  TestFailover: {
    label: 'Test failover',
    asks: 'pointType',
    consequence: (plan) => `Test virtual machines of every VM of ${nameOf(plan)} are started group by group, with the groups' actions, from the recovery point type you choose. Replication goes on.`,
    request: (input) => ({ operation: 'testFailover', body: { properties: { failoverDirection: input.direction, networkType: 'NoNetworkAttachAsInput', providerSpecificDetails: details(input) } } }),
  },
  TestFailoverCleanup: {
    label: 'Cleanup test failover',
    asks: 'comments',
    consequence: (plan) => `The test virtual machines of ${nameOf(plan)} and their disks are deleted; your notes are kept on the job.`,
    request: (input) => ({ operation: 'testFailoverCleanup', body: { properties: input.comments ? { comments: input.comments } : {} } }),
  },
  PlannedFailover: {
    label: 'Planned failover',
    consequence: (plan) => `Every VM of ${nameOf(plan)} is shut down, its last changes replicated, and started on the other side, group by group. No data is lost.`,
    request: (input) => ({ operation: 'plannedFailover', body: { properties: { failoverDirection: input.direction, providerSpecificDetails: [{ instanceType: HYPER_V }] } } }),
  },
  Failback: {
    label: 'Failback',
    consequence: (plan) => `Every VM of ${nameOf(plan)} is shut down at ${plan.properties.recoveryFabricFriendlyName ?? 'the recovery site'}, its changes replicated back, and started at ${plan.properties.primaryFabricFriendlyName ?? 'the primary site'}.`,
    request: () => ({ operation: 'plannedFailover', body: { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzureFailback' }] } } }),
  },
  UnplannedFailover: {
    label: 'Failover',
    asks: 'pointType',
    destructive: true,
    consequence: (plan) => `Every VM of ${nameOf(plan)} is started on the other side from the recovery point type you choose, without waiting for its source: changes after that point are lost.`,
    request: (input) => ({ operation: 'unplannedFailover', body: { properties: { failoverDirection: input.direction, sourceSiteOperations: 'NotRequired', providerSpecificDetails: details(input) } } }),
  },
  Commit: {
    label: 'Commit',
    consequence: (plan) => `The failover of every VM of ${nameOf(plan)} is made final: their other recovery points are deleted.`,
    request: () => ({ operation: 'failoverCommit' }),
  },
  CancelFailover: {
    label: 'Cancel failover',
    destructive: true,
    consequence: (plan) => `The failover of every VM of ${nameOf(plan)} is undone: they run again where they ran before.`,
    request: () => ({ operation: 'failoverCancel' }),
  },
  ReverseReplicate: {
    label: 'Re-protect',
    consequence: (plan) => `Every VM of ${nameOf(plan)} starts replicating back towards the site it failed over from.`,
    request: () => ({ operation: 'reProtect' }),
  },
};

export function offeredPlanActions(plan: RecoveryPlan): PlanActionName[] {
  const allowed = new Set(plan.properties.allowedOperations ?? []);
  return PLAN_ACTION_NAMES.filter((name) => allowed.has(name));
}
