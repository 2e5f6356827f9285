/**
 * `replicationVaultSettings`: the vault's one setting, `default` (its migration solution and the
 * VMware provider type, which only migration and VMware use; kept and shown as set). Create
 * (`PUT`) writes it; get and list read it, empty until written.
 */
import { z } from 'zod';
import { armResource, type ArmResource } from '../arm/armResource.js';
import { parseInput } from '../arm/parseInput.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { ROW } from './rowKinds.js';

const VAULT_SETTING_TYPE = 'Microsoft.RecoveryServices/vaults/replicationVaultSettings';
const DEFAULT = 'default';

export interface VaultSettingRecord {
  migrationSolutionId?: string;
  vmwareToAzureProviderType?: string;
}

/** The body of `PUT …/replicationVaultSettings/{setting}`. */
export const putVaultSettingBody = z.object({
  properties: z.object({
    migrationSolutionId: z.string().max(1024).optional(),
    vmwareToAzureProviderType: z.enum(['Vmware', 'VmwareCbt', 'InMageRcm', 'InMageAzureV2'], "must be 'Vmware', 'VmwareCbt', 'InMageRcm' or 'InMageAzureV2'").optional(),
  }),
});

function requireDefault(name: string): void {
  if (name.toLowerCase() !== DEFAULT) throw new HttpError(404, 'ResourceNotFound', `Vault setting ${JSON.stringify(name)} was not found; a vault has one setting, 'default'.`, undefined, 'vaultSettingName');
}

export const toVaultSettingResource = (vault: VaultRef, setting: VaultSettingRecord): ArmResource =>
  armResource(vaultChildId(vault, ['replicationVaultSettings', DEFAULT]), DEFAULT, VAULT_SETTING_TYPE, { ...setting });

/** The vault's setting (empty when never written). */
export async function getVaultSetting(repository: ControlPlaneRepository, vault: VaultRef, name = DEFAULT): Promise<VaultSettingRecord> {
  requireDefault(name);
  return (await repository.get<VaultSettingRecord>(vaultPartition(vault), ROW.vaultSetting, DEFAULT))?.value ?? {};
}

/** Writes the vault's setting: the fields the body names change, the rest stay. */
export async function putVaultSetting(repository: ControlPlaneRepository, vault: VaultRef, name: string, body: unknown): Promise<VaultSettingRecord> {
  requireDefault(name);
  const input = parseInput(putVaultSettingBody, body).properties;
  const partition = vaultPartition(vault);
  const existing = await repository.get<VaultSettingRecord>(partition, ROW.vaultSetting, DEFAULT);
  const next: VaultSettingRecord = { ...existing?.value, ...input };
  if (existing) await repository.replace(existing, next);
  else await repository.create(partition, ROW.vaultSetting, DEFAULT, next);
  return next;
}
