/**
 * The provider's operations as ARM lists them (`Microsoft.RecoveryServices/operations`): the
 * permission names of what this service serves, one per resource type and verb — what a custom
 * role grants. Pure data.
 */

interface ResourceOperations {
  /** Type path under `Microsoft.RecoveryServices/`. */
  path: string;
  /** The resource's display name. */
  resource: string;
  /** Verbs: `read`, `write`, `delete`, or an action name (listed as `{name}/action`). */
  verbs: readonly string[];
}

const RESOURCES: readonly ResourceOperations[] = [
  { path: 'vaults', resource: 'Vaults', verbs: ['read', 'write', 'delete'] },
  { path: 'vaults/replicationFabrics', resource: 'Replication Fabrics', verbs: ['read', 'write', 'remove', 'checkConsistency', 'renewcertificate'] },
  { path: 'vaults/replicationFabrics/replicationRecoveryServicesProviders', resource: 'Recovery Services Providers', verbs: ['read', 'delete', 'remove', 'refreshProvider'] },
  { path: 'vaults/replicationFabrics/replicationNetworks', resource: 'Networks', verbs: ['read'] },
  { path: 'vaults/replicationFabrics/replicationNetworks/replicationNetworkMappings', resource: 'Network Mappings', verbs: ['read', 'write', 'delete'] },
  { path: 'vaults/replicationFabrics/replicationProtectionContainers', resource: 'Protection Containers', verbs: ['read', 'write', 'remove', 'discoverProtectableItem'] },
  { path: 'vaults/replicationFabrics/replicationProtectionContainers/replicationProtectableItems', resource: 'Protectable Items', verbs: ['read'] },
  { path: 'vaults/replicationFabrics/replicationProtectionContainers/replicationProtectionContainerMappings', resource: 'Protection Container Mappings', verbs: ['read', 'write', 'remove', 'delete'] },
  {
    path: 'vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems',
    resource: 'Protected Items',
    verbs: ['read', 'write', 'delete', 'remove', 'repairReplication', 'testFailover', 'testFailoverCleanup', 'plannedFailover', 'unplannedFailover', 'applyRecoveryPoint', 'failoverCommit', 'failoverCancel', 'reProtect', 'resolveHealthErrors', 'addDisks', 'removeDisks'],
  },
  { path: 'vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems/recoveryPoints', resource: 'Replication Recovery Points', verbs: ['read'] },
  { path: 'vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems/targetComputeSizes', resource: 'Target Compute Sizes', verbs: ['read'] },
  {
    path: 'vaults/replicationRecoveryPlans',
    resource: 'Recovery Plans',
    verbs: ['read', 'write', 'delete', 'testFailover', 'testFailoverCleanup', 'plannedFailover', 'unplannedFailover', 'failoverCommit', 'failoverCancel', 'reProtect'],
  },
  { path: 'vaults/replicationPolicies', resource: 'Replication Policies', verbs: ['read', 'write', 'delete'] },
  { path: 'vaults/replicationJobs', resource: 'Jobs', verbs: ['read', 'cancel', 'restart', 'resume', 'export'] },
  { path: 'vaults/replicationVaultHealth', resource: 'Vault Health', verbs: ['read', 'refresh'] },
  { path: 'vaults/replicationVaultSettings', resource: 'Vault Settings', verbs: ['read', 'write'] },
  { path: 'vaults/replicationSupportedOperatingSystems', resource: 'Supported Operating Systems', verbs: ['read'] },
  { path: 'vaults/replicationAppliances', resource: 'Appliances', verbs: ['read'] },
  { path: 'vaults/replicationProtectedItems', resource: 'Protected Items', verbs: ['read'] },
  { path: 'vaults/replicationProtectionContainerMappings', resource: 'Protection Container Mappings', verbs: ['read'] },
];

const PROVIDER = 'Microsoft.RecoveryServices';

const VERB_NAMES: Record<string, [operation: string, description: string]> = {
  read: ['Read', 'Reads'],
  write: ['Create or Update', 'Creates or updates'],
  delete: ['Delete', 'Deletes'],
};

export interface ProviderOperation {
  name: string;
  display: { provider: string; resource: string; operation: string; description: string };
  origin: string;
}

/** Every operation of the provider, in the order of `RESOURCES`. */
export function providerOperations(): ProviderOperation[] {
  return RESOURCES.flatMap(({ path, resource, verbs }) =>
    verbs.map((verb) => {
      const plain = VERB_NAMES[verb];
      const name = `${PROVIDER}/${path}/${plain ? verb : `${verb}/action`}`;
      const [operation, description] = plain ? [`${plain[0]} ${resource}`, `${plain[1]} ${resource.toLowerCase()}.`] : [`${verb} ${resource}`, `Runs ${verb} on ${resource.toLowerCase()}.`];
      return { name, display: { provider: PROVIDER, resource, operation, description }, origin: 'user' };
    }),
  );
}

/** The action names (`testFailover`, `remove`, …) of the provider: operations invoked with POST. */
export function providerActionNames(): ReadonlySet<string> {
  return new Set(RESOURCES.flatMap(({ verbs }) => verbs.filter((verb) => !VERB_NAMES[verb]).map((verb) => verb.toLowerCase())));
}

/** The resource types the provider serves, lower-cased (`replicationfabrics`, …). */
export function providerResourceTypes(): ReadonlySet<string> {
  return new Set(RESOURCES.flatMap(({ path }) => path.split('/').map((segment) => segment.toLowerCase())));
}
