/**
 * Network mappings (`replicationNetworkMappings`): create (PUT) and update (PATCH) a Hyper-V site's
 * network's mapping to a virtual network at a recovery site, get, list, delete — each an
 * infrastructure job. A network has one mapping: creating another under a new name is a 409, and
 * of two racing creates one wins.
 *
 * Deleting a mapping that items rely on (their VM is on the network and they name no recovery
 * network of their own) is allowed, as in ASR: their next failover follows their own settings; the
 * job lists them as a warning. A failover already admitted keeps the network it was admitted with.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { parseInput } from '../arm/parseInput.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { fabricPath, requireFabric, type FabricRecord } from '../infra/fabrics.js';
import { submitProvisioning } from '../infra/provisioningJob.js';
import { ROW } from '../infra/rowKinds.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { jobError, type Job } from '../jobs/jobModel.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import type { ControlPlaneRepository, RowAction, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { requireNetwork } from './fabricNetworks.js';
import { factsKeyOf, itemNetworkFacts } from './itemNetworkFacts.js';
import { networkMappingPath, networkMappingRowName, type NetworkMappingRecord } from './networkMappingResource.js';
import { createNetworkMappingBody, updateNetworkMappingBody, type NetworkMappingInput } from './networkMappingSchema.js';
import { resolveRecoveryFabric, resolveRecoveryNetworkId } from './recoveryTarget.js';

/** The jobs of network mappings (ASR names none on record; these follow its policy jobs' names). */
const JOBS = {
  create: { scenarioName: 'AddNetworkMapping', friendlyName: 'Create network mapping' },
  update: { scenarioName: 'ModifyNetworkMapping', friendlyName: 'Modify network mapping' },
  delete: { scenarioName: 'RemoveNetworkMapping', friendlyName: 'Remove network mapping' },
} as const;

/** The mapping's row (of the network's one mapping, under this name), or `undefined`. */
async function findMapping(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, networkName: string, mappingName: string): Promise<StoredRow<NetworkMappingRecord> | undefined> {
  validateName('networkMappingName', mappingName);
  validateName('networkName', networkName);
  const fabric = (await requireFabric(repository, vault, fabricName)).value;
  const row = await repository.get<NetworkMappingRecord>(vaultPartition(vault), ROW.networkMapping, networkMappingRowName(fabric.name, networkName));
  return row && row.value.name.toLowerCase() === mappingName.toLowerCase() ? row : undefined;
}

/** The mapping's row, or 404 naming it. */
export async function requireNetworkMapping(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, networkName: string, mappingName: string): Promise<StoredRow<NetworkMappingRecord>> {
  const row = await findMapping(repository, vault, fabricName, networkName, mappingName);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `Network mapping ${JSON.stringify(mappingName)} was not found.`, undefined, 'networkMappingName');
  return row;
}

/** One page of mappings: of one network (at most one), or of the whole vault. */
export async function listNetworkMappings(repository: ControlPlaneRepository, vault: VaultRef, network?: { fabricName: string; networkName: string }, continuationToken?: string): Promise<RowPage<NetworkMappingRecord>> {
  if (!network) return repository.list<NetworkMappingRecord>(vaultPartition(vault), ROW.networkMapping, continuationToken ? { continuationToken } : {});
  validateName('networkName', network.networkName);
  const fabric = (await requireFabric(repository, vault, network.fabricName)).value;
  const row = await repository.get<NetworkMappingRecord>(vaultPartition(vault), ROW.networkMapping, networkMappingRowName(fabric.name, network.networkName));
  return { rows: row ? [row] : [] };
}

/** The settings a create or update names, checked (4xx naming the field); `current` fills what an update omits. */
async function targetOf(
  repository: ControlPlaneRepository,
  vault: VaultRef,
  source: FabricRecord,
  input: NetworkMappingInput,
  current?: NetworkMappingRecord,
): Promise<{ recoveryFabric: StoredRow<FabricRecord>; recoveryNetworkId: string }> {
  const recoveryFabric = await resolveRecoveryFabric(repository, vault, source.name, input.recoveryFabricName ?? current?.recoveryFabricName);
  const networkId = input.recoveryNetworkId ?? current?.recoveryNetworkId;
  if (networkId === undefined) throw new HttpError(400, 'InvalidParameter', "Invalid value for 'properties.recoveryNetworkId': is required.", undefined, 'properties.recoveryNetworkId');
  return { recoveryFabric, recoveryNetworkId: await resolveRecoveryNetworkId(repository, vault, recoveryFabric.value, networkId) };
}

function submitChange(plane: ControlPlane, vault: VaultRef, how: 'create' | 'update', mapping: NetworkMappingRecord, ...rowActions: RowAction[]): Promise<Job> {
  const path = networkMappingPath(vault, mapping);
  return submitProvisioning(
    plane,
    {
      vault,
      input: { operation: how, rowKind: ROW.networkMapping, name: networkMappingRowName(mapping.fabricName, mapping.networkName) },
      ...JOBS[how],
      targetObjectId: path,
      targetObjectName: mapping.name,
      targetInstanceType: 'NetworkMapping',
      resultPath: path,
      fabricId: fabricPath(vault, mapping.fabricName),
    },
    ...rowActions,
  );
}

/**
 * Starts creating a network's mapping (PUT). The same mapping again is returned as is (no job);
 * the mapping under its name with other settings is updated; another name is a 409.
 */
export async function createNetworkMapping(plane: ControlPlane, vault: VaultRef, fabricName: string, networkName: string, mappingName: string, body: unknown): Promise<{ mapping: NetworkMappingRecord; job?: Job }> {
  validateName('networkMappingName', mappingName);
  const { fabric, network } = await requireNetwork(plane.repository, vault, fabricName, networkName);
  if (fabric.instanceType !== 'HyperVSite') {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for 'fabricName': ${JSON.stringify(fabric.name)} is not a Hyper-V site; network mappings start at a Hyper-V site's network.`, undefined, 'fabricName');
  }
  const input = parseInput(createNetworkMappingBody, body).properties;
  const { recoveryFabric, recoveryNetworkId } = await targetOf(plane.repository, vault, fabric, input);
  const partition = vaultPartition(vault);
  const rowName = networkMappingRowName(fabric.name, network.name);
  const sourceRow = await requireFabric(plane.repository, vault, fabric.name);
  if (sourceRow.value.provisioningState === 'Deleting') throw new HttpError(409, 'OperationInProgress', `Fabric ${JSON.stringify(fabric.name)} is being removed.`);
  const existing = await plane.repository.get<NetworkMappingRecord>(partition, ROW.networkMapping, rowName);
  const now = new Date().toISOString();
  if (existing) {
    if (existing.value.name.toLowerCase() !== mappingName.toLowerCase()) {
      throw new HttpError(409, 'NetworkAlreadyMapped', `Network ${JSON.stringify(network.friendlyName)} is already mapped by network mapping ${JSON.stringify(existing.value.name)}; a network has one mapping.`);
    }
    if (existing.value.provisioningState === 'Deleting') throw new HttpError(409, 'OperationInProgress', `Network mapping ${JSON.stringify(mappingName)} is being removed.`);
    const same = existing.value.recoveryFabricName === recoveryFabric.value.name && existing.value.recoveryNetworkId.toLowerCase() === recoveryNetworkId.toLowerCase();
    if (same) return { mapping: existing.value };
    const mapping: NetworkMappingRecord = { ...existing.value, recoveryFabricName: recoveryFabric.value.name, recoveryNetworkId, provisioningState: 'Updating', updatedAt: now };
    return { mapping, job: await submitChange(plane, vault, 'update', mapping, { action: 'replace', kind: ROW.networkMapping, name: rowName, value: mapping, etag: existing.etag }, { action: 'touch', row: recoveryFabric }) };
  }
  const mapping: NetworkMappingRecord = {
    name: mappingName,
    fabricName: fabric.name,
    networkName: network.name,
    networkFriendlyName: network.friendlyName,
    recoveryFabricName: recoveryFabric.value.name,
    recoveryNetworkId,
    provisioningState: 'Creating',
    createdAt: now,
    updatedAt: now,
  };
  const job = await submitChange(plane, vault, 'create', mapping, { action: 'create', kind: ROW.networkMapping, name: rowName, value: mapping }, { action: 'touch', row: sourceRow }, { action: 'touch', row: recoveryFabric });
  return { mapping, job };
}

/** Starts updating a mapping (PATCH): the recovery fabric and network it names replace the current ones. */
export async function updateNetworkMapping(plane: ControlPlane, vault: VaultRef, fabricName: string, networkName: string, mappingName: string, body: unknown): Promise<{ mapping: NetworkMappingRecord; job: Job }> {
  const row = await requireNetworkMapping(plane.repository, vault, fabricName, networkName, mappingName);
  const input = parseInput(updateNetworkMappingBody, body).properties;
  if (row.value.provisioningState === 'Deleting') throw new HttpError(409, 'OperationInProgress', `Network mapping ${JSON.stringify(mappingName)} is being removed.`);
  const source = (await requireFabric(plane.repository, vault, row.value.fabricName)).value;
  const { recoveryFabric, recoveryNetworkId } = await targetOf(plane.repository, vault, source, input, row.value);
  const mapping: NetworkMappingRecord = { ...row.value, recoveryFabricName: recoveryFabric.value.name, recoveryNetworkId, provisioningState: 'Updating', updatedAt: new Date().toISOString() };
  const name = networkMappingRowName(row.value.fabricName, row.value.networkName);
  return { mapping, job: await submitChange(plane, vault, 'update', mapping, { action: 'replace', kind: ROW.networkMapping, name, value: mapping, etag: row.etag }, { action: 'touch', row: recoveryFabric }) };
}

/** Names of the items whose next failover would follow the mapping. */
async function itemsRelyingOn(repository: ControlPlaneRepository, vault: VaultRef, mapping: NetworkMappingRecord): Promise<string[]> {
  const items: ProtectedItemRecord[] = [];
  for await (const row of repository.listAll<ProtectedItemRecord>(vaultPartition(vault), PROTECTED_ITEM_ROW)) {
    if (!row.value.recovery.networkId || !row.value.recovery.testNetworkId) items.push(row.value);
  }
  const facts = await itemNetworkFacts(repository, vault, items);
  return items.filter((item) => facts.get(factsKeyOf(item))?.mappingName === mapping.name).map((item) => item.name);
}

/** Starts deleting a mapping; `undefined` when it does not exist. Allowed while items rely on it (see the module comment). */
export async function deleteNetworkMapping(plane: ControlPlane, vault: VaultRef, fabricName: string, networkName: string, mappingName: string): Promise<Job | undefined> {
  const row = await findMapping(plane.repository, vault, fabricName, networkName, mappingName);
  if (!row) return undefined;
  if (row.value.provisioningState === 'Deleting') throw new HttpError(409, 'OperationInProgress', `Network mapping ${JSON.stringify(mappingName)} is already being removed.`);
  const relying = await itemsRelyingOn(plane.repository, vault, row.value);
  const name = networkMappingRowName(row.value.fabricName, row.value.networkName);
  return submitProvisioning(
    plane,
    {
      vault,
      input: { operation: 'delete', rowKind: ROW.networkMapping, name },
      ...JOBS.delete,
      targetObjectId: networkMappingPath(vault, row.value),
      targetObjectName: row.value.name,
      targetInstanceType: 'NetworkMapping',
      fabricId: fabricPath(vault, row.value.fabricName),
      ...(relying.length > 0
        ? {
            warnings: [
              {
                ...jobError(
                  'NetworkMappingInUse',
                  `Replication protected item(s) ${relying.map((item) => `'${item}'`).join(', ')} relied on network mapping '${row.value.name}'; their next failover attaches the virtual machine to their own recovery network, or to none.`,
                  { recommendedAction: "Set the items' recovery network (selectedRecoveryAzureNetworkId), or map the network again." },
                ),
                errorLevel: 'Warning' as const,
              },
            ],
          }
        : {}),
    },
    { action: 'replace', kind: ROW.networkMapping, name, value: { ...row.value, provisioningState: 'Deleting' }, etag: row.etag },
  );
}
