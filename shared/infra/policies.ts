import { armResource, type ArmResource } from '../arm/armResource.js';
import { parseInput } from '../arm/parseInput.js';
import { parseVaultChildId, sameVault, vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import type { Job } from '../jobs/jobModel.js';
import type { ControlPlaneRepository, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { findDependents } from './dependents.js';
import { POLICY_DEFAULTS, policyCreationSchema, policyUpdateSchema, type HyperVReplicaAzurePolicyInput } from './policySchema.js';
import { submitProvisioning, type Provisioned } from './provisioningJob.js';
import { ROW } from './rowKinds.js';

/** ARM type of policies. */
export const POLICY_TYPE = 'Microsoft.RecoveryServices/vaults/replicationPolicies';

/** The settings of a `HyperVReplicaAzure` policy. */
export interface PolicySettings {
  /** Retention of recovery points, hours. */
  recoveryPointHistoryDuration: number;
  /** Every how many hours a point is application-consistent (0 = never). */
  applicationConsistentSnapshotFrequencyInHours: number;
  /** Replication cycle interval, seconds. */
  replicationInterval: number;
  onlineReplicationStartTime: string | null;
  storageAccounts: string[];
}

/** A stored policy. */
export interface PolicyRecord extends Provisioned, PolicySettings {
  name: string;
  instanceType: 'HyperVReplicaAzure';
  createdAt: string;
}

/** The path of a policy. */
export function policyPath(vault: VaultRef, policyName: string): string {
  return vaultChildId(vault, ['replicationPolicies', policyName]);
}

function merge(base: PolicySettings, input: HyperVReplicaAzurePolicyInput, field: string): PolicySettings {
  const settings: PolicySettings = {
    recoveryPointHistoryDuration: input.recoveryPointHistoryDuration ?? base.recoveryPointHistoryDuration,
    applicationConsistentSnapshotFrequencyInHours: input.applicationConsistentSnapshotFrequencyInHours ?? base.applicationConsistentSnapshotFrequencyInHours,
    replicationInterval: input.replicationInterval ?? base.replicationInterval,
    onlineReplicationStartTime: input.onlineReplicationStartTime === undefined ? base.onlineReplicationStartTime : input.onlineReplicationStartTime,
    storageAccounts: input.storageAccounts ?? base.storageAccounts,
  };
  if (settings.applicationConsistentSnapshotFrequencyInHours > settings.recoveryPointHistoryDuration) {
    const target = `${field}.applicationConsistentSnapshotFrequencyInHours`;
    throw new HttpError(
      400,
      'InvalidParameter',
      `Invalid value for '${target}': must not exceed the retention (recoveryPointHistoryDuration = ${settings.recoveryPointHistoryDuration} hours).`,
      undefined,
      target,
    );
  }
  return settings;
}

/** The policy as ASR shows it (`HyperVReplicaAzurePolicyDetails`). */
export function toPolicyResource(vault: VaultRef, policy: PolicyRecord): ArmResource {
  return armResource(policyPath(vault, policy.name), policy.name, POLICY_TYPE, {
    friendlyName: policy.name,
    providerSpecificDetails: {
      instanceType: 'HyperVReplicaAzure',
      recoveryPointHistoryDurationInHours: policy.recoveryPointHistoryDuration,
      applicationConsistentSnapshotFrequencyInHours: policy.applicationConsistentSnapshotFrequencyInHours,
      replicationInterval: policy.replicationInterval,
      onlineReplicationStartTime: policy.onlineReplicationStartTime ?? undefined,
      encryption: 'Disabled',
      activeStorageAccountId: policy.storageAccounts[0],
    },
  });
}

/** The policy's row, or 404 naming it. */
export async function requirePolicy(repository: ControlPlaneRepository, vault: VaultRef, policyName: string): Promise<StoredRow<PolicyRecord>> {
  validateName('policyName', policyName);
  const row = await repository.get<PolicyRecord>(vaultPartition(vault), ROW.policy, policyName);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `Policy ${JSON.stringify(policyName)} was not found in the vault.`, undefined, 'policyName');
  return row;
}

/**
 * The policy row an id names (its ETag lets a transaction depend on it); 400/404 naming `field`
 * when the id is malformed, of another vault, or missing.
 */
export async function resolvePolicyRow(repository: ControlPlaneRepository, vault: VaultRef, policyId: string, field = 'policyId'): Promise<StoredRow<PolicyRecord>> {
  const parsed = parseVaultChildId(policyId);
  const [segment, ...rest] = parsed?.children ?? [];
  if (!parsed || !sameVault(parsed.vault, vault) || segment?.type.toLowerCase() !== 'replicationpolicies' || rest.length > 0) {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': must be the id of a replication policy of this vault.`, undefined, field);
  }
  const row = await repository.get<PolicyRecord>(vaultPartition(vault), ROW.policy, segment.name);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `The policy named by '${field}' (${JSON.stringify(segment.name)}) was not found.`, undefined, field);
  return row;
}

/**
 * Starts creating a policy, or replacing an existing one's settings (PUT semantics: omitted
 * fields take their defaults). A create racing another create of the same name gets 409.
 */
export async function putPolicy(plane: ControlPlane, vault: VaultRef, policyName: string, body: unknown): Promise<{ policy: PolicyRecord; job: Job }> {
  validateName('policyName', policyName);
  const input = parseInput(policyCreationSchema, body).properties.providerSpecificInput;
  const settings = merge({ ...POLICY_DEFAULTS, onlineReplicationStartTime: null, storageAccounts: [] }, input, 'properties.providerSpecificInput');
  const existing = await plane.repository.get<PolicyRecord>(vaultPartition(vault), ROW.policy, policyName);
  if (existing) return replacePolicySettings(plane, vault, existing, settings);
  const policy: PolicyRecord = { name: policyName, instanceType: 'HyperVReplicaAzure', ...settings, createdAt: new Date().toISOString(), provisioningState: 'Creating' };
  const path = policyPath(vault, policyName);
  const job = await submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'create', rowKind: ROW.policy, name: [policyName] },
      scenarioName: 'AddProtectionProfile',
      friendlyName: 'Create replication policy',
      targetObjectId: path,
      targetObjectName: policyName,
      targetInstanceType: 'ProtectionProfile',
      resultPath: path,
    },
    { action: 'create', kind: ROW.policy, name: policyName, value: policy },
  );
  return { policy, job };
}

async function replacePolicySettings(plane: ControlPlane, vault: VaultRef, row: StoredRow<PolicyRecord>, settings: PolicySettings): Promise<{ policy: PolicyRecord; job: Job }> {
  if (row.value.provisioningState === 'Deleting') throw new HttpError(409, 'OperationInProgress', `Policy ${JSON.stringify(row.value.name)} is being deleted.`);
  const policy: PolicyRecord = { ...row.value, ...settings, provisioningState: 'Updating' };
  const path = policyPath(vault, row.value.name);
  const job = await submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'update', rowKind: ROW.policy, name: [row.value.name] },
      scenarioName: 'ModifyProtectionProfile',
      friendlyName: 'Modify settings of the replication policy',
      targetObjectId: path,
      targetObjectName: row.value.name,
      targetInstanceType: 'ProtectionProfile',
      resultPath: path,
    },
    { action: 'replace', kind: ROW.policy, name: row.value.name, value: policy, etag: row.etag },
  );
  return { policy, job };
}

/** Starts updating a policy's settings (merged with the current ones). */
export async function updatePolicy(plane: ControlPlane, vault: VaultRef, policyName: string, body: unknown): Promise<{ policy: PolicyRecord; job: Job }> {
  validateName('policyName', policyName);
  const input = parseInput(policyUpdateSchema, body).properties.replicationProviderSettings;
  const row = await requirePolicy(plane.repository, vault, policyName);
  return replacePolicySettings(plane, vault, row, merge(row.value, input, 'properties.replicationProviderSettings'));
}

/** One page of the vault's policies. */
export function listPolicies(repository: ControlPlaneRepository, vault: VaultRef, continuationToken?: string): Promise<RowPage<PolicyRecord>> {
  return repository.list<PolicyRecord>(vaultPartition(vault), ROW.policy, continuationToken ? { continuationToken } : {});
}

/**
 * Starts deleting a policy; 409 while a mapping (or a registered dependent) uses it.
 * `undefined` when it does not exist.
 */
export async function deletePolicy(plane: ControlPlane, vault: VaultRef, policyName: string): Promise<Job | undefined> {
  validateName('policyName', policyName);
  const partition = vaultPartition(vault);
  const row = await plane.repository.get<PolicyRecord>(partition, ROW.policy, policyName);
  if (!row) return undefined;
  if (row.value.provisioningState === 'Deleting') throw new HttpError(409, 'OperationInProgress', `Policy ${JSON.stringify(policyName)} is already being deleted.`);
  const path = policyPath(vault, row.value.name);
  const dependents = await findDependents('policy', plane.repository, { vault, partition, name: row.value.name });
  if (dependents.length > 0) {
    throw new HttpError(409, 'PolicyInUse', `Policy ${JSON.stringify(policyName)} cannot be deleted while it is used by ${dependents.join(', ')}.`);
  }
  return submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'delete', rowKind: ROW.policy, name: [row.value.name] },
      scenarioName: 'RemoveProtectionProfile',
      friendlyName: 'Remove the replication policy',
      targetObjectId: path,
      targetObjectName: row.value.name,
      targetInstanceType: 'ProtectionProfile',
    },
    { action: 'replace', kind: ROW.policy, name: row.value.name, value: { ...row.value, provisioningState: 'Deleting' }, etag: row.etag },
  );
}

