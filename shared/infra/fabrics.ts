import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { armResource, type ArmResource } from '../arm/armResource.js';
import { parseInput } from '../arm/parseInput.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import type { Job } from '../jobs/jobModel.js';
import type { ControlPlaneRepository, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { findDependents } from './dependents.js';
import { submitProvisioning, type Provisioned } from './provisioningJob.js';
import { ROW } from './rowKinds.js';

/** Row kind of fabrics (name: the fabric). */
export const FABRIC_ROW = ROW.fabric;
/** ARM type of fabrics. */
export const FABRIC_TYPE = 'Microsoft.RecoveryServices/vaults/replicationFabrics';

/** Fabric kinds: a Hyper-V site (source) or a recovery site (`Azure`). */
export type FabricInstanceType = 'HyperVSite' | 'Azure';

/** A stored fabric. */
export interface FabricRecord extends Provisioned {
  name: string;
  instanceType: FabricInstanceType;
  /** Recovery-site location (`Azure` fabrics). */
  location?: string;
  internalIdentifier: string;
  createdAt: string;
}

/** The body of `PUT …/replicationFabrics/{fabric}`. */
export const createFabricBody = z.object({
  properties: z.object(
    {
      customDetails: z.discriminatedUnion(
        'instanceType',
        [
          z.object({ instanceType: z.literal('HyperVSite') }),
          z.object({ instanceType: z.literal('Azure'), location: z.string().min(1, 'is required for an Azure fabric').max(64) }),
        ],
        "instanceType must be 'HyperVSite' (source site) or 'Azure' (recovery site)",
      ),
    },
    'is required',
  ),
});

/** The path of a fabric. */
export function fabricPath(vault: VaultRef, fabricName: string): string {
  return vaultChildId(vault, ['replicationFabrics', fabricName]);
}

/** The one protection container of a fabric is named after it. */
export function containerNameOf(fabricName: string): string {
  return `${fabricName}-container`;
}

/** The path of a fabric's protection container. */
export function containerPath(vault: VaultRef, fabricName: string): string {
  return vaultChildId(vault, ['replicationFabrics', fabricName], ['replicationProtectionContainers', containerNameOf(fabricName)]);
}

/** The fabric's row, or 404 naming it. */
export async function requireFabric(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string): Promise<StoredRow<FabricRecord>> {
  validateName('fabricName', fabricName);
  const row = await repository.get<FabricRecord>(vaultPartition(vault), FABRIC_ROW, fabricName);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `Fabric ${JSON.stringify(fabricName)} was not found in the vault.`, undefined, 'fabricName');
  return row;
}

/** Health shown on a fabric. */
export interface FabricHealthView {
  health: 'Normal' | 'Warning' | 'Critical';
  healthErrorDetails: unknown[];
  hosts?: Array<{ hostName: string }>;
}

/** The fabric as ASR shows it. */
export function toFabricResource(vault: VaultRef, fabric: FabricRecord, health: FabricHealthView): ArmResource {
  const container = containerPath(vault, fabric.name);
  const customDetails =
    fabric.instanceType === 'Azure'
      ? { instanceType: 'Azure', location: fabric.location, containerIds: [container] }
      : { instanceType: 'HyperVSite', hyperVHosts: (health.hosts ?? []).map((host) => ({ id: host.hostName, name: host.hostName })), containerIds: [container] };
  return armResource(fabricPath(vault, fabric.name), fabric.name, FABRIC_TYPE, {
    friendlyName: fabric.name,
    encryptionDetails: { kekState: 'None' },
    internalIdentifier: fabric.internalIdentifier,
    bcdrState: 'Valid',
    customDetails,
    healthErrorDetails: health.healthErrorDetails,
    health: health.health,
  });
}

/**
 * Starts creating a fabric (row + job in one transaction). An existing fabric of the same kind
 * is returned as is (`job` undefined); of another kind it is a 409; a racing create gets 409.
 */
export async function createFabric(plane: ControlPlane, vault: VaultRef, fabricName: string, body: unknown): Promise<{ fabric: FabricRecord; job?: Job }> {
  validateName('fabricName', fabricName);
  const input = parseInput(createFabricBody, body);
  const details = input.properties.customDetails;
  const existing = await plane.repository.get<FabricRecord>(vaultPartition(vault), FABRIC_ROW, fabricName);
  if (existing) {
    if (existing.value.instanceType !== details.instanceType || existing.value.provisioningState === 'Deleting') {
      throw new HttpError(409, 'FabricAlreadyExists', `Fabric ${JSON.stringify(fabricName)} already exists as ${existing.value.instanceType} (${existing.value.provisioningState}).`);
    }
    return { fabric: existing.value };
  }
  const fabric: FabricRecord = {
    name: fabricName,
    instanceType: details.instanceType,
    ...(details.instanceType === 'Azure' ? { location: details.location } : {}),
    internalIdentifier: randomUUID(),
    createdAt: new Date().toISOString(),
    provisioningState: 'Creating',
  };
  const path = fabricPath(vault, fabricName);
  const job = await submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'create', rowKind: FABRIC_ROW, name: [fabricName] },
      scenarioName: 'CreateSite',
      friendlyName: 'Create a site',
      targetObjectId: fabric.internalIdentifier,
      targetObjectName: fabricName,
      targetInstanceType: 'Server',
      resultPath: path,
      fabricId: path,
    },
    { action: 'create', kind: FABRIC_ROW, name: fabricName, value: fabric },
  );
  return { fabric, job };
}

/** One page of the vault's fabrics. */
export function listFabrics(repository: ControlPlaneRepository, vault: VaultRef, continuationToken?: string): Promise<RowPage<FabricRecord>> {
  return repository.list<FabricRecord>(vaultPartition(vault), FABRIC_ROW, continuationToken ? { continuationToken } : {});
}

/**
 * Starts removing a fabric, with its hosts' reports and provider registrations; 409 while mappings,
 * network mappings or protected items use it. `undefined` when it does not exist.
 */
export async function removeFabric(plane: ControlPlane, vault: VaultRef, fabricName: string): Promise<Job | undefined> {
  validateName('fabricName', fabricName);
  const partition = vaultPartition(vault);
  const row = await plane.repository.get<FabricRecord>(partition, FABRIC_ROW, fabricName);
  if (!row) return undefined;
  if (row.value.provisioningState === 'Deleting') {
    throw new HttpError(409, 'OperationInProgress', `Fabric ${JSON.stringify(fabricName)} is already being removed.`);
  }
  const path = fabricPath(vault, row.value.name);
  const dependents = await findDependents('fabric', plane.repository, { vault, partition, name: row.value.name });
  if (dependents.length > 0) {
    throw new HttpError(409, 'FabricInUse', `Fabric ${JSON.stringify(fabricName)} cannot be removed while it is used by ${dependents.join(', ')}.`);
  }
  const job = await submitProvisioning(
    plane,
    {
      vault,
      input: {
        operation: 'delete',
        rowKind: FABRIC_ROW,
        name: [row.value.name],
        cascade: [
          { kind: ROW.siteHost, prefix: [row.value.name] },
          { kind: ROW.provider, prefix: [row.value.name] },
          { kind: ROW.protectionMark, prefix: [row.value.name] },
        ],
      },
      scenarioName: 'RemoveSite',
      friendlyName: 'Remove a site',
      targetObjectId: row.value.internalIdentifier,
      targetObjectName: row.value.name,
      targetInstanceType: 'Server',
      fabricId: path,
    },
    { action: 'replace', kind: FABRIC_ROW, name: row.value.name, value: { ...row.value, provisioningState: 'Deleting' }, etag: row.etag },
  );
  return job;
}
