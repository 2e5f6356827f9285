/**
 * Recovery services providers: each Hyper-V host that reports to the vault with its registration
 * key is registered as a provider of its site (ASR's DRA on the host). One row per host in the
 * vault's partition, named `[fabric, host]` so two first reports of one host cannot both register
 * it; the provider's own name (a GUID, its `draIdentifier`) is inside, new at every registration.
 */
import { z } from 'zod';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { requireFabric } from '../infra/fabrics.js';
import type { Provisioned } from '../infra/provisioningJob.js';
import { ROW } from '../infra/rowKinds.js';
import type { ControlPlaneRepository, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';

/** ARM type of providers. */
export const PROVIDER_TYPE = 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationRecoveryServicesProviders';

/** A registered provider as stored. */
export interface ProviderRecord extends Provisioned {
  /** The provider's name in its ARM id (a GUID). */
  name: string;
  fabricName: string;
  hostName: string;
  registeredAt: string;
  /** When a refresh last succeeded. */
  refreshedAt?: string;
}

/** What a provider's jobs (refresh, removal) carry: the host and the registration they act on. */
export const providerJobInput = z.object({ fabricName: z.string(), hostName: z.string(), providerName: z.string() });

export type ProviderJobInput = z.infer<typeof providerJobInput>;

/** The path of a provider. */
export function providerPath(vault: VaultRef, fabricName: string, providerName: string): string {
  return vaultChildId(vault, ['replicationFabrics', fabricName], ['replicationRecoveryServicesProviders', providerName]);
}

/** The row name of a host's provider. */
export const providerRowName = (fabricName: string, hostName: string): string[] => [fabricName, hostName];

/** The provider rows of a fabric (one per registered host). */
export async function listFabricProviders(repository: ControlPlaneRepository, partition: string, fabricName: string): Promise<StoredRow<ProviderRecord>[]> {
  const rows: StoredRow<ProviderRecord>[] = [];
  for await (const row of repository.listAll<ProviderRecord>(partition, ROW.provider, { prefix: [fabricName] })) rows.push(row);
  return rows;
}

/** One page of providers: of one fabric, or of the whole vault. */
export function listProviders(repository: ControlPlaneRepository, vault: VaultRef, fabricName?: string, continuationToken?: string): Promise<RowPage<ProviderRecord>> {
  return repository.list<ProviderRecord>(vaultPartition(vault), ROW.provider, {
    ...(fabricName ? { prefix: [fabricName] } : {}),
    ...(continuationToken ? { continuationToken } : {}),
  });
}

/** The provider of a fabric by its name (GUID), or `undefined`. */
export async function findProvider(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, providerName: string): Promise<StoredRow<ProviderRecord> | undefined> {
  const rows = await listFabricProviders(repository, vaultPartition(vault), fabricName);
  return rows.find((row) => row.value.name.toLowerCase() === providerName.toLowerCase());
}

/** The fabric's name as stored and the provider's row; 404 naming the fabric or the provider. */
export async function requireProvider(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, providerName: string): Promise<StoredRow<ProviderRecord>> {
  validateName('providerName', providerName);
  const fabric = await requireFabric(repository, vault, fabricName);
  const row = await findProvider(repository, vault, fabric.value.name, providerName);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `Recovery services provider ${JSON.stringify(providerName)} was not found in fabric ${JSON.stringify(fabricName)}.`, undefined, 'providerName');
  return row;
}
