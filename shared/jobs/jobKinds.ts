/**
 * The catalogue of the app's job kinds: every kind a job row can name, with the definition that runs
 * it. The queue function that runs job steps is handed this catalogue; nothing registers itself.
 */
import { drillKind, DRILL_JOB } from '../drills/drillJob.js';
import { provisioningKind, PROVISIONING_JOB } from '../infra/provisioningJob.js';
import { recoveryPlanKind, RECOVERY_PLAN_JOB } from '../plans/planJob.js';
import { workflowKind } from '../protection/runEffects.js';
import { cancelFailoverWorkflow } from '../protection/workflows/cancelFailoverJob.js';
import { changeRecoveryPointWorkflow } from '../protection/workflows/changeRecoveryPointJob.js';
import { commitWorkflow } from '../protection/workflows/commitJob.js';
import { disableProtectionWorkflow } from '../protection/workflows/disableProtectionJob.js';
import { enableProtectionWorkflow } from '../protection/workflows/enableProtectionJob.js';
import { failoverWorkflow } from '../protection/workflows/failoverJob.js';
import { initialReplicationKind } from '../protection/workflows/initialReplicationJob.js';
import { repairReplicationWorkflow } from '../protection/workflows/repairReplicationJob.js';
import { reprotectWorkflow } from '../protection/workflows/reprotectJob.js';
import { testFailoverCleanupWorkflow } from '../protection/workflows/testFailoverCleanupJob.js';
import { testFailoverWorkflow } from '../protection/workflows/testFailoverJob.js';
import { updateProtectedItemWorkflow } from '../protection/workflows/updateProtectedItemJob.js';
import { providerRefreshKind, PROVIDER_REFRESH_JOB } from '../providers/providerRefreshJob.js';
import { providerRemovalKind, PROVIDER_REMOVAL_JOB } from '../providers/providerRemovalJob.js';
import type { JobCatalogue, JobKindDefinition } from './jobKind.js';

/** Every job kind of the app. */
export type JobKind =
  | typeof PROVISIONING_JOB
  | typeof PROVIDER_REFRESH_JOB
  | typeof PROVIDER_REMOVAL_JOB
  | typeof RECOVERY_PLAN_JOB
  | typeof DRILL_JOB
  | 'enableProtection'
  | 'initialReplication'
  | 'disableProtection'
  | 'repairReplication'
  | 'updateProtectedItem'
  | 'testFailover'
  | 'testFailoverCleanup'
  | 'failover'
  | 'changeRecoveryPoint'
  | 'commitFailover'
  | 'cancelFailover'
  | 'reprotect';

const catalogue: Record<JobKind, JobKindDefinition> = {
  [PROVISIONING_JOB]: provisioningKind,
  [PROVIDER_REFRESH_JOB]: providerRefreshKind,
  [PROVIDER_REMOVAL_JOB]: providerRemovalKind,
  [RECOVERY_PLAN_JOB]: recoveryPlanKind,
  [DRILL_JOB]: drillKind,
  enableProtection: workflowKind(enableProtectionWorkflow),
  initialReplication: initialReplicationKind,
  disableProtection: workflowKind(disableProtectionWorkflow),
  repairReplication: workflowKind(repairReplicationWorkflow),
  updateProtectedItem: workflowKind(updateProtectedItemWorkflow),
  testFailover: workflowKind(testFailoverWorkflow),
  testFailoverCleanup: workflowKind(testFailoverCleanupWorkflow),
  failover: workflowKind(failoverWorkflow),
  changeRecoveryPoint: workflowKind(changeRecoveryPointWorkflow),
  commitFailover: workflowKind(commitWorkflow),
  cancelFailover: workflowKind(cancelFailoverWorkflow),
  reprotect: workflowKind(reprotectWorkflow),
};

export const jobKinds: JobCatalogue = catalogue;
