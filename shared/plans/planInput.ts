/** Bodies of `replicationRecoveryPlans` create and update as the official client sends them. */
import { z } from 'zod';

const OPERATIONS = ['ReverseReplicate', 'Commit', 'PlannedFailover', 'UnplannedFailover', 'DisableProtection', 'TestFailover', 'TestFailoverCleanup', 'Failback', 'FinalizeFailback', 'CancelFailover', 'ChangePit', 'RepairReplication', 'SwitchProtection', 'CompleteMigration'] as const;

/** ISO 8601 durations (`PT5M`) or seconds, as a runbook's or script's timeout. */
const timeout = z.string().max(32).optional();

const actionDetails = z.discriminatedUnion('instanceType', [
  z.object({ instanceType: z.literal('ManualActionDetails'), description: z.string().max(4096).optional() }),
  z.object({
    instanceType: z.literal('AutomationRunbookActionDetails'),
    runbookId: z.string('is required').min(1, 'is required').max(1024),
    timeout,
    fabricLocation: z.enum(['Primary', 'Recovery'], "must be 'Primary' or 'Recovery'"),
  }),
  z.object({
    instanceType: z.literal('ScriptActionDetails'),
    path: z.string('is required').min(1, 'is required').max(2048),
    timeout,
    fabricLocation: z.enum(['Primary', 'Recovery'], "must be 'Primary' or 'Recovery'"),
  }),
]);

export const planActionSchema = z.object({
  actionName: z.string('is required').min(1, 'is required').max(128),
  failoverTypes: z.array(z.enum(OPERATIONS)).min(1, 'must name at least one operation'),
  failoverDirections: z.array(z.enum(['PrimaryToRecovery', 'RecoveryToPrimary'])).min(1, 'must name at least one direction'),
  customDetails: actionDetails,
});

export const planGroupSchema = z.object({
  groupType: z.enum(['Shutdown', 'Failover', 'Boot'], "must be 'Shutdown', 'Failover' or 'Boot'"),
  replicationProtectedItems: z.array(z.object({ id: z.string('is required').min(1).max(1024), virtualMachineId: z.string().max(256).optional() }).loose()).optional(),
  startGroupActions: z.array(planActionSchema).max(20).optional(),
  endGroupActions: z.array(planActionSchema).max(20).optional(),
});

export const createPlanBody = z.object({
  properties: z.object({
    primaryFabricId: z.string('is required').min(1, 'is required').max(1024),
    recoveryFabricId: z.string('is required').min(1, 'is required').max(1024),
    failoverDeploymentModel: z.enum(['NotApplicable', 'Classic', 'ResourceManager']).optional(),
    groups: z.array(planGroupSchema).min(1, 'must hold at least one group').max(9),
    providerSpecificInput: z.array(z.object({ instanceType: z.string() }).loose()).optional(),
  }),
});

export const updatePlanBody = z.object({
  properties: z.object({ groups: z.array(planGroupSchema).min(1, 'must hold at least one group').max(9) }),
});

export type PlanGroupInput = z.infer<typeof planGroupSchema>;
export type PlanActionInput = z.infer<typeof planActionSchema>;
