import { dataReplicationJobs } from './dataReplicationJobs.js';
import { dataReplicationOperationResults } from './dataReplicationOperationResults.js';
import { dataReplicationOperationStatus } from './dataReplicationOperationStatus.js';
import { dataReplicationPlannedFailover } from './dataReplicationPlannedFailover.js';
import { dataReplicationProtectedItems } from './dataReplicationProtectedItems.js';
import { dataReplicationRecoveryPoints } from './dataReplicationRecoveryPoints.js';
import { dataReplicationVaults } from './dataReplicationVaults.js';
import { protectedItemOperations } from './protectedItemOperations.js';
import { providerOperations } from './providerOperations.js';
import { recoveryPoints } from './recoveryPoints.js';
import { replicationAlertSettings } from './replicationAlertSettings.js';
import { replicationAppliances } from './replicationAppliances.js';
import { replicationFabricActions } from './replicationFabricActions.js';
import { replicationDrillReports } from './replicationDrillReports.js';
import { replicationDrillSchedules } from './replicationDrillSchedules.js';
import { replicationEvents } from './replicationEvents.js';
import { replicationFabrics } from './replicationFabrics.js';
import { replicationJobActions } from './replicationJobActions.js';
import { replicationJobs } from './replicationJobs.js';
import { replicationJobsExport } from './replicationJobsExport.js';
import { replicationJobsExportedFile } from './replicationJobsExportedFile.js';
import { replicationNetworkMappings } from './replicationNetworkMappings.js';
import { replicationNetworkMappingsByVault } from './replicationNetworkMappingsByVault.js';
import { replicationNetworks } from './replicationNetworks.js';
import { replicationNetworksByVault } from './replicationNetworksByVault.js';
import { replicationOperationStatus } from './replicationOperationStatus.js';
import { replicationPolicies } from './replicationPolicies.js';
import { replicationProtectableItems } from './replicationProtectableItems.js';
import { replicationProtectedItems } from './replicationProtectedItems.js';
import { replicationProtectedItemsByVault } from './replicationProtectedItemsByVault.js';
import { replicationProtectionContainerActions } from './replicationProtectionContainerActions.js';
import { replicationProtectionContainerMappings } from './replicationProtectionContainerMappings.js';
import { replicationProtectionContainerMappingsByVault } from './replicationProtectionContainerMappingsByVault.js';
import { replicationProtectionContainerMappingsRemove } from './replicationProtectionContainerMappingsRemove.js';
import { replicationProtectionContainers } from './replicationProtectionContainers.js';
import { replicationProtectionContainersByVault } from './replicationProtectionContainersByVault.js';
import { replicationRecoveryPlanOperations } from './replicationRecoveryPlanOperations.js';
import { replicationRecoveryPlans } from './replicationRecoveryPlans.js';
import { replicationRecoveryServicesProviders } from './replicationRecoveryServicesProviders.js';
import { replicationRecoveryServicesProvidersActions } from './replicationRecoveryServicesProvidersActions.js';
import { replicationRecoveryServicesProvidersByVault } from './replicationRecoveryServicesProvidersByVault.js';
import { replicationSupportedOperatingSystems } from './replicationSupportedOperatingSystems.js';
import { replicationVaultHealth } from './replicationVaultHealth.js';
import { replicationVaultSettings } from './replicationVaultSettings.js';
import { resourceGroups } from './resourceGroups.js';
import { targetComputeSizes } from './targetComputeSizes.js';
import { vaultRegistrationKey } from './vaultRegistrationKey.js';
import { vaults } from './vaults.js';
import { vaultsBySubscription } from './vaultsBySubscription.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** The Functions key level every ARM function is registered with: callers present the function key. */
export const ARM_AUTH_LEVEL = 'function';

/**
 * Every HTTP function of the ARM API. `functions/armApi.ts` registers them with the Functions host
 * (and after them `zUnservedArmPaths`, the ARM answer to any other path); `functions/siteRecoveryCommands.ts`
 * routes queue commands through the same list, and `functions/openApi.ts` describes it.
 */
export const ARM_API: readonly ArmFunction[] = [
  dataReplicationJobs,
  dataReplicationOperationResults,
  dataReplicationOperationStatus,
  dataReplicationPlannedFailover,
  dataReplicationProtectedItems,
  dataReplicationRecoveryPoints,
  dataReplicationVaults,
  protectedItemOperations,
  providerOperations,
  recoveryPoints,
  replicationAlertSettings,
  replicationAppliances,
  replicationFabricActions,
  replicationDrillReports,
  replicationDrillSchedules,
  replicationEvents,
  replicationFabrics,
  replicationJobActions,
  replicationJobs,
  replicationJobsExport,
  replicationJobsExportedFile,
  replicationNetworkMappings,
  replicationNetworkMappingsByVault,
  replicationNetworks,
  replicationNetworksByVault,
  replicationOperationStatus,
  replicationPolicies,
  replicationProtectableItems,
  replicationProtectedItems,
  replicationProtectedItemsByVault,
  replicationProtectionContainerActions,
  replicationProtectionContainerMappings,
  replicationProtectionContainerMappingsByVault,
  replicationProtectionContainerMappingsRemove,
  replicationProtectionContainers,
  replicationProtectionContainersByVault,
  replicationRecoveryPlanOperations,
  replicationRecoveryPlans,
  replicationRecoveryServicesProviders,
  replicationRecoveryServicesProvidersActions,
  replicationRecoveryServicesProvidersByVault,
  replicationSupportedOperatingSystems,
  replicationVaultHealth,
  replicationVaultSettings,
  resourceGroups,
  targetComputeSizes,
  vaultRegistrationKey,
  vaults,
  vaultsBySubscription,
];
