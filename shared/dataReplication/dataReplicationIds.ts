/**
 * The `Microsoft.DataReplication` view of a vault: its route templates, resource types and ids. A
 * DataReplication vault is the Recovery Services vault of the same name; its protected items are the
 * vault's replication protected items, named as they are there.
 */
import { resourceGroupId, type VaultRef } from '../arm/resourceId.js';

/** The provider namespace of the DataReplication API. */
export const DATA_REPLICATION = 'Microsoft.DataReplication';

/** Route of a resource group's DataReplication vaults (for `app.http` routes). */
export const DR_VAULTS_ROUTE = `subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${DATA_REPLICATION}/replicationVaults`;

/** Route prefix of everything under one DataReplication vault. */
export const DR_VAULT_ROUTE = `${DR_VAULTS_ROUTE}/{vaultName}`;

/** Route of one protected item. */
export const DR_ITEM_ROUTE = `${DR_VAULT_ROUTE}/protectedItems/{protectedItemName}`;

/** ARM types of the DataReplication resources served. */
export const DR_TYPE = {
  vault: `${DATA_REPLICATION}/replicationVaults`,
  protectedItem: `${DATA_REPLICATION}/replicationVaults/protectedItems`,
  recoveryPoint: `${DATA_REPLICATION}/replicationVaults/protectedItems/recoveryPoints`,
  job: `${DATA_REPLICATION}/replicationVaults/jobs`,
} as const;

/** The `instanceType` of the custom properties this service shows: a Hyper-V source replicating to a recovery site. */
export const HCI_INSTANCE_TYPE = 'HyperVToAzStackHCI';

/** The DataReplication id of a vault. */
export function drVaultId(vault: VaultRef): string {
  return `${resourceGroupId(vault.subscriptionId, vault.resourceGroupName)}/providers/${DATA_REPLICATION}/replicationVaults/${encodeURIComponent(vault.vaultName)}`;
}

/** The id of a protected item. */
export function drItemId(vault: VaultRef, itemName: string): string {
  return `${drVaultId(vault)}/protectedItems/${encodeURIComponent(itemName)}`;
}

/** The id of one of an item's recovery points. */
export function drRecoveryPointId(vault: VaultRef, itemName: string, pointId: string): string {
  return `${drItemId(vault, itemName)}/recoveryPoints/${encodeURIComponent(pointId)}`;
}

/** The id of a job. */
export function drJobId(vault: VaultRef, jobId: string): string {
  return `${drVaultId(vault)}/jobs/${encodeURIComponent(jobId)}`;
}

/** Path of the status of an operation on an item (what `Azure-AsyncOperation` points at). */
export function drItemOperationStatusPath(vault: VaultRef, itemName: string, operationId: string): string {
  return `${drItemId(vault, itemName)}/operations/${encodeURIComponent(operationId)}`;
}

/** Path of the result of an operation on an item (what `Location` points at). */
export function drItemOperationResultPath(vault: VaultRef, itemName: string, operationId: string): string {
  return `${drItemId(vault, itemName)}/operationResults/${encodeURIComponent(operationId)}`;
}
