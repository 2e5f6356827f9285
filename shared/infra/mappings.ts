import { z } from 'zod';
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
import { containerNameOf, containerPath, requireFabric, type FabricRecord } from './fabrics.js';
import { policyPath, resolvePolicyRow } from './policies.js';
import { submitProvisioning, type Provisioned } from './provisioningJob.js';
import { ROW } from './rowKinds.js';

/** ARM type of protection container mappings. */
export const MAPPING_TYPE = 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectionContainerMappings';

/** A stored mapping: source container (of a Hyper-V site) → target container (of a recovery site), with a policy. */
export interface MappingRecord extends Provisioned {
  name: string;
  sourceFabricName: string;
  sourceContainerName: string;
  targetFabricName: string;
  targetContainerName: string;
  policyName: string;
  createdAt: string;
}

/** The body of `PUT …/replicationProtectionContainerMappings/{mapping}`. */
export const createMappingBody = z.object({
  properties: z.object(
    {
      targetProtectionContainerId: z.string('is required').min(1, 'is required').max(1024),
      policyId: z.string('is required').min(1, 'is required').max(1024),
      providerSpecificInput: z.object({ instanceType: z.string() }).loose().optional(),
    },
    'is required',
  ),
});

/** The path of a mapping. */
export function mappingPath(vault: VaultRef, mapping: Pick<MappingRecord, 'sourceFabricName' | 'sourceContainerName' | 'name'>): string {
  return vaultChildId(
    vault,
    ['replicationFabrics', mapping.sourceFabricName],
    ['replicationProtectionContainers', mapping.sourceContainerName],
    ['replicationProtectionContainerMappings', mapping.name],
  );
}

/** The mapping as ASR shows it. */
export function toMappingResource(vault: VaultRef, mapping: MappingRecord): ArmResource {
  return armResource(mappingPath(vault, mapping), mapping.name, MAPPING_TYPE, {
    targetProtectionContainerId: containerPath(vault, mapping.targetFabricName),
    targetProtectionContainerFriendlyName: mapping.targetContainerName,
    health: 'Normal',
    healthErrorDetails: [],
    policyId: policyPath(vault, mapping.policyName),
    state: mapping.provisioningState === 'Succeeded' ? 'Paired' : mapping.provisioningState === 'Deleting' ? 'Unpairing' : 'Pairing',
    sourceProtectionContainerFriendlyName: mapping.sourceContainerName,
    sourceFabricFriendlyName: mapping.sourceFabricName,
    targetFabricFriendlyName: mapping.targetFabricName,
    policyFriendlyName: mapping.policyName,
  });
}

/** Checks that `containerName` is the fabric's container (404 otherwise) and returns the fabric. */
export async function requireContainer(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, containerName: string): Promise<StoredRow<FabricRecord>> {
  validateName('protectionContainerName', containerName, 100);
  const fabric = await requireFabric(repository, vault, fabricName);
  if (containerName.toLowerCase() !== containerNameOf(fabric.value.name).toLowerCase()) {
    throw new HttpError(404, 'ResourceNotFound', `Protection container ${JSON.stringify(containerName)} was not found in fabric ${JSON.stringify(fabricName)}.`, undefined, 'protectionContainerName');
  }
  return fabric;
}

/** The fabric row a container id names (400/404 naming `field`). */
async function resolveContainerId(repository: ControlPlaneRepository, vault: VaultRef, containerId: string, field: string): Promise<StoredRow<FabricRecord>> {
  const parsed = parseVaultChildId(containerId);
  const [fabric, container, ...rest] = parsed?.children ?? [];
  if (
    !parsed ||
    !sameVault(parsed.vault, vault) ||
    fabric?.type.toLowerCase() !== 'replicationfabrics' ||
    container?.type.toLowerCase() !== 'replicationprotectioncontainers' ||
    rest.length > 0
  ) {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': must be the id of a protection container of this vault.`, undefined, field);
  }
  const row = await repository.get<FabricRecord>(vaultPartition(vault), ROW.fabric, fabric.name);
  if (!row || container.name.toLowerCase() !== containerNameOf(row.value.name).toLowerCase()) {
    throw new HttpError(404, 'ResourceNotFound', `The protection container named by '${field}' (${JSON.stringify(container.name)}) was not found.`, undefined, field);
  }
  return row;
}

/** What ASR's Hyper-V-to-Azure scripts name as the target container: the recovery side as a whole. */
const AZURE_PSEUDO_CONTAINER = 'microsoft azure';

/** Provider inputs of a mapping: this scenario's, or the base type the REST example sends. */
const MAPPING_INPUT_TYPES: ReadonlySet<string> = new Set(['HyperVReplicaAzure', 'ReplicationProviderSpecificContainerMappingInput']);

/** The vault's recovery site, when `"Microsoft Azure"` names it: there must be exactly one. */
async function theRecoverySite(repository: ControlPlaneRepository, vault: VaultRef, field: string): Promise<StoredRow<FabricRecord>> {
  const sites: Array<StoredRow<FabricRecord>> = [];
  for await (const row of repository.listAll<FabricRecord>(vaultPartition(vault), ROW.fabric)) if (row.value.instanceType === 'Azure') sites.push(row);
  const [only, ...others] = sites;
  if (!only) throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': 'Microsoft Azure' names the vault's recovery site, and the vault has none; create a recovery site fabric first.`, undefined, field);
  if (others.length > 0) {
    const names = sites.map((row) => row.value.name).join(', ');
    throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': 'Microsoft Azure' is ambiguous in a vault with several recovery sites (${names}); name the recovery site's container id.`, undefined, field);
  }
  return only;
}

/** The mapping's row, or 404 naming it. */
export async function requireMapping(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, containerName: string, mappingName: string): Promise<StoredRow<MappingRecord>> {
  validateName('mappingName', mappingName);
  await requireContainer(repository, vault, fabricName, containerName);
  const row = await repository.get<MappingRecord>(vaultPartition(vault), ROW.mapping, [fabricName, mappingName]);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `Protection container mapping ${JSON.stringify(mappingName)} was not found.`, undefined, 'mappingName');
  return row;
}

/**
 * Starts creating a mapping under a Hyper-V site's container, to a recovery site's container,
 * with a `HyperVReplicaAzure` policy. An identical existing mapping is returned as is.
 */
export async function createMapping(
  plane: ControlPlane,
  vault: VaultRef,
  fabricName: string,
  containerName: string,
  mappingName: string,
  body: unknown,
): Promise<{ mapping: MappingRecord; job?: Job }> {
  validateName('mappingName', mappingName);
  const sourceRow = await requireContainer(plane.repository, vault, fabricName, containerName);
  const source = sourceRow.value;
  const input = parseInput(createMappingBody, body).properties;
  if (source.instanceType !== 'HyperVSite') {
    throw new HttpError(400, 'InvalidParameter', `The source fabric ${JSON.stringify(source.name)} is not a Hyper-V site; mappings start at a Hyper-V site's container.`, undefined, 'fabricName');
  }
  const targetRow =
    input.targetProtectionContainerId.toLowerCase() === AZURE_PSEUDO_CONTAINER
      ? await theRecoverySite(plane.repository, vault, 'properties.targetProtectionContainerId')
      : await resolveContainerId(plane.repository, vault, input.targetProtectionContainerId, 'properties.targetProtectionContainerId');
  const target = targetRow.value;
  if (target.instanceType !== 'Azure') {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for 'properties.targetProtectionContainerId': fabric ${JSON.stringify(target.name)} is not a recovery site (Azure).`, undefined, 'properties.targetProtectionContainerId');
  }
  const policyRow = await resolvePolicyRow(plane.repository, vault, input.policyId, 'properties.policyId');
  const policy = policyRow.value;
  const removing = [source, target, policy].find((resource) => resource.provisioningState === 'Deleting');
  if (removing) throw new HttpError(409, 'OperationInProgress', `${JSON.stringify(removing.name)} is being removed.`);
  if (input.providerSpecificInput && !MAPPING_INPUT_TYPES.has(input.providerSpecificInput.instanceType)) {
    throw new HttpError(400, 'InvalidParameter', "Invalid value for 'properties.providerSpecificInput.instanceType': must be 'HyperVReplicaAzure' or 'ReplicationProviderSpecificContainerMappingInput'.", undefined, 'properties.providerSpecificInput.instanceType');
  }
  const partition = vaultPartition(vault);
  const existing = await plane.repository.get<MappingRecord>(partition, ROW.mapping, [source.name, mappingName]);
  if (existing) {
    const same = existing.value.targetFabricName === target.name && existing.value.policyName === policy.name && existing.value.provisioningState !== 'Deleting';
    if (!same) throw new HttpError(409, 'MappingAlreadyExists', `Protection container mapping ${JSON.stringify(mappingName)} already exists with other settings.`);
    return { mapping: existing.value };
  }
  const mapping: MappingRecord = {
    name: mappingName,
    sourceFabricName: source.name,
    sourceContainerName: containerNameOf(source.name),
    targetFabricName: target.name,
    targetContainerName: containerNameOf(target.name),
    policyName: policy.name,
    createdAt: new Date().toISOString(),
    provisioningState: 'Creating',
  };
  const path = mappingPath(vault, mapping);
  const job = await submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'create', rowKind: ROW.mapping, name: [source.name, mappingName] },
      scenarioName: 'AssociateProtectionProfile',
      friendlyName: 'Associate replication policy',
      targetObjectId: path,
      targetObjectName: mappingName,
      targetInstanceType: 'ProtectionProfile',
      resultPath: path,
      fabricId: vaultChildId(vault, ['replicationFabrics', source.name]),
    },
    { action: 'create', kind: ROW.mapping, name: [source.name, mappingName], value: mapping },
    { action: 'touch', row: sourceRow },
    { action: 'touch', row: targetRow },
    { action: 'touch', row: policyRow },
  );
  return { mapping, job };
}

/** One page of mappings: of one source fabric's container, or of the whole vault. */
export function listMappings(repository: ControlPlaneRepository, vault: VaultRef, sourceFabricName?: string, continuationToken?: string): Promise<RowPage<MappingRecord>> {
  return repository.list<MappingRecord>(vaultPartition(vault), ROW.mapping, {
    ...(sourceFabricName ? { prefix: [sourceFabricName] } : {}),
    ...(continuationToken ? { continuationToken } : {}),
  });
}

/** Starts removing a mapping; 409 while protected items use it. */
export async function removeMapping(plane: ControlPlane, vault: VaultRef, fabricName: string, containerName: string, mappingName: string): Promise<Job | undefined> {
  validateName('mappingName', mappingName);
  await requireContainer(plane.repository, vault, fabricName, containerName);
  const partition = vaultPartition(vault);
  const row = await plane.repository.get<MappingRecord>(partition, ROW.mapping, [fabricName, mappingName]);
  if (!row) return undefined;
  if (row.value.provisioningState === 'Deleting') throw new HttpError(409, 'OperationInProgress', `Mapping ${JSON.stringify(mappingName)} is already being removed.`);
  const path = mappingPath(vault, row.value);
  const dependents = await findDependents('mapping', plane.repository, { vault, partition, name: row.value.name, fabricName: row.value.sourceFabricName });
  if (dependents.length > 0) {
    throw new HttpError(409, 'MappingInUse', `Protection container mapping ${JSON.stringify(mappingName)} cannot be removed while it is used by ${dependents.join(', ')}.`);
  }
  return submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'delete', rowKind: ROW.mapping, name: [row.value.sourceFabricName, row.value.name] },
      scenarioName: 'DissociateProtectionProfile',
      friendlyName: 'Dissociate replication policy',
      targetObjectId: path,
      targetObjectName: row.value.name,
      targetInstanceType: 'ProtectionProfile',
      fabricId: vaultChildId(vault, ['replicationFabrics', row.value.sourceFabricName]),
    },
    { action: 'replace', kind: ROW.mapping, name: [row.value.sourceFabricName, row.value.name], value: { ...row.value, provisioningState: 'Deleting' }, etag: row.etag },
  );
}
