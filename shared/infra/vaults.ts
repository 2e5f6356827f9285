import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { armResource, type ArmResource } from '../arm/armResource.js';
import { parseInput } from '../arm/parseInput.js';
import { vaultId, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlaneRepository, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { subscriptionPartition, vaultPartition } from '../repos/partitions.js';
import { requireResourceGroup } from './resourceGroups.js';
import { ROW } from './rowKinds.js';

/** Row kind of vaults (partition: the subscription; name: [resource group, vault]). */
export const VAULT_ROW = ROW.vault;
/** ARM type of vaults. */
export const VAULT_TYPE = 'Microsoft.RecoveryServices/vaults';

/** A stored vault. `registrationKey` authenticates site hosts and is never shown by GET. */
export interface VaultRecord {
  subscriptionId: string;
  resourceGroupName: string;
  name: string;
  location: string;
  sku: { name: string; tier?: string };
  tags?: Record<string, string>;
  registrationKey: string;
  createdAt: string;
}

/** The body of `PUT …/vaults/{vault}` (a missing body reads as `{}`). */
export const putVaultBody = z.object({
  location: z.string().min(1, 'is required').max(64),
  sku: z.object({ name: z.enum(['Standard', 'RS0'], 'must be Standard or RS0'), tier: z.string().max(64).optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/** The vault reference of a stored vault. */
export function vaultRefOf(vault: VaultRecord): VaultRef {
  return { subscriptionId: vault.subscriptionId, resourceGroupName: vault.resourceGroupName, vaultName: vault.name };
}

/** The vault as `Microsoft.RecoveryServices/vaults` shows it (without its registration key). */
export function toVaultResource(vault: VaultRecord): ArmResource {
  const resource = armResource(vaultId(vaultRefOf(vault)), vault.name, VAULT_TYPE, { provisioningState: 'Succeeded' }, vault.location);
  resource.sku = vault.sku;
  if (vault.tags) resource.tags = vault.tags;
  return resource;
}

function vaultRow(repository: ControlPlaneRepository, vault: VaultRef): Promise<StoredRow<VaultRecord> | undefined> {
  return repository.get<VaultRecord>(subscriptionPartition(vault.subscriptionId), VAULT_ROW, [vault.resourceGroupName, vault.vaultName]);
}

/** The vault, or `undefined`. */
export async function findVault(repository: ControlPlaneRepository, vault: VaultRef): Promise<VaultRecord | undefined> {
  return (await vaultRow(repository, vault))?.value;
}

/** The vault, or 404 `ResourceNotFound` (names checked first). */
export async function requireVault(repository: ControlPlaneRepository, vault: VaultRef): Promise<VaultRecord> {
  validateName('subscriptionId', vault.subscriptionId);
  validateName('resourceGroupName', vault.resourceGroupName);
  validateName('vaultName', vault.vaultName, 50);
  const found = await findVault(repository, vault);
  if (!found) {
    throw new HttpError(404, 'ResourceNotFound', `The Resource '${VAULT_TYPE}/${vault.vaultName}' under resource group '${vault.resourceGroupName}' was not found.`);
  }
  return found;
}

/** Creates or updates a vault (404 `ResourceGroupNotFound` when the group is missing). */
export async function putVault(repository: ControlPlaneRepository, vault: VaultRef, body: unknown): Promise<{ vault: VaultRecord; created: boolean }> {
  validateName('subscriptionId', vault.subscriptionId);
  validateName('resourceGroupName', vault.resourceGroupName);
  validateName('vaultName', vault.vaultName, 50);
  const input = parseInput(putVaultBody, body ?? {});
  await requireResourceGroup(repository, vault.subscriptionId, vault.resourceGroupName);
  const existing = await vaultRow(repository, vault);
  const sku = input.sku ?? existing?.value.sku ?? { name: 'Standard' };
  if (!existing) {
    const record: VaultRecord = {
      subscriptionId: vault.subscriptionId,
      resourceGroupName: vault.resourceGroupName,
      name: vault.vaultName,
      location: input.location,
      sku,
      ...(input.tags ? { tags: input.tags } : {}),
      registrationKey: randomBytes(32).toString('base64url'),
      createdAt: new Date().toISOString(),
    };
    await repository.create(subscriptionPartition(vault.subscriptionId), VAULT_ROW, [vault.resourceGroupName, vault.vaultName], record);
    return { vault: record, created: true };
  }
  if (existing.value.location.toLowerCase() !== input.location.toLowerCase()) {
    throw new HttpError(400, 'LocationNotChangeable', `The vault's location is '${existing.value.location}' and cannot be changed.`, undefined, 'location');
  }
  const tags = input.tags ?? existing.value.tags;
  const { tags: _previous, ...rest } = existing.value;
  const record: VaultRecord = { ...rest, sku, ...(tags ? { tags } : {}) };
  await repository.replace(existing, record);
  return { vault: record, created: false };
}

/** The body of `PATCH …/vaults/{vault}`: tags and SKU (a missing body reads as `{}`). */
export const patchVaultBody = z.object({
  location: z.string().min(1).max(64).optional(),
  sku: z.object({ name: z.enum(['Standard', 'RS0'], 'must be Standard or RS0'), tier: z.string().max(64).optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  identity: z.record(z.string(), z.unknown()).optional(),
});

/** Updates a vault's tags and SKU (`PATCH`): what the body names changes, the rest stays; the location cannot change. */
export async function patchVault(repository: ControlPlaneRepository, vault: VaultRef, body: unknown): Promise<VaultRecord> {
  const input = parseInput(patchVaultBody, body ?? {});
  await requireVault(repository, vault);
  const existing = await vaultRow(repository, vault);
  if (!existing) throw new HttpError(404, 'ResourceNotFound', `The Resource '${VAULT_TYPE}/${vault.vaultName}' under resource group '${vault.resourceGroupName}' was not found.`);
  if (input.location !== undefined && existing.value.location.toLowerCase() !== input.location.toLowerCase()) {
    throw new HttpError(400, 'LocationNotChangeable', `The vault's location is '${existing.value.location}' and cannot be changed.`, undefined, 'location');
  }
  const record: VaultRecord = { ...existing.value, ...(input.sku ? { sku: input.sku } : {}), ...(input.tags ? { tags: input.tags } : {}) };
  await repository.replace(existing, record);
  return record;
}

/** One page of vaults of a subscription, optionally of one resource group. */
export async function listVaults(
  repository: ControlPlaneRepository,
  subscriptionId: string,
  resourceGroupName: string | undefined,
  continuationToken?: string,
): Promise<RowPage<VaultRecord>> {
  validateName('subscriptionId', subscriptionId);
  if (resourceGroupName !== undefined) {
    validateName('resourceGroupName', resourceGroupName);
    await requireResourceGroup(repository, subscriptionId, resourceGroupName);
  }
  return repository.list<VaultRecord>(subscriptionPartition(subscriptionId), VAULT_ROW, {
    ...(resourceGroupName !== undefined ? { prefix: [resourceGroupName] } : {}),
    ...(continuationToken ? { continuationToken } : {}),
  });
}

/**
 * Deletes a vault and every row of its partition; 409 while it still has fabrics. `false` when
 * it did not exist.
 */
export async function deleteVault(repository: ControlPlaneRepository, vault: VaultRef, fabricRowKind: string): Promise<boolean> {
  validateName('vaultName', vault.vaultName, 50);
  const row = await vaultRow(repository, vault);
  if (!row) return false;
  const fabrics = await repository.list(vaultPartition(vault), fabricRowKind, { pageSize: 1 });
  if (fabrics.rows.length > 0) {
    throw new HttpError(409, 'VaultNotEmpty', `Vault ${JSON.stringify(vault.vaultName)} still has replication fabrics; remove them first.`);
  }
  await repository.delete(subscriptionPartition(vault.subscriptionId), VAULT_ROW, [vault.resourceGroupName, vault.vaultName], row.etag);
  await repository.deletePartition(vaultPartition(vault));
  return true;
}
