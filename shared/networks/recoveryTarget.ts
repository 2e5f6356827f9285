/**
 * Where a network mapping points: the recovery fabric (`recoveryFabricName`) and the virtual
 * network there (`recoveryNetworkId`), each checked with a 4xx naming the field.
 *
 * `recoveryFabricName` is the name or id of a recovery site (`Azure` fabric) of the vault; absent,
 * or ASR's name of its Azure fabric `Microsoft Azure`, it means the recovery site the Hyper-V
 * site's containers are mapped to (or the vault's only recovery site). `recoveryNetworkId` is a
 * virtual network's ARM id, as ASR takes it (accepted by shape, as items' recovery networks are),
 * or the id of one of the recovery fabric's `replicationNetworks`.
 */
import { parseVaultChildId, sameVault, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { FABRIC_ROW, type FabricRecord } from '../infra/fabrics.js';
import type { MappingRecord } from '../infra/mappings.js';
import { ROW } from '../infra/rowKinds.js';
import type { ControlPlaneRepository, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { recoveryNetworkUses } from './fabricNetworks.js';
import { isVirtualNetworkId, recoveryNetworksOf } from './recoveryNetworks.js';

const FABRIC_FIELD = 'properties.recoveryFabricName';
const NETWORK_FIELD = 'properties.recoveryNetworkId';

/** ASR's name of the Azure side of a Hyper-V → Azure vault. */
const ASR_AZURE_FABRIC = 'microsoft azure';

function invalid(field: string, problem: string): HttpError {
  return new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);
}

/** The recovery site a Hyper-V site's containers are mapped to, else the vault's only recovery site. */
async function defaultRecoveryFabric(repository: ControlPlaneRepository, partition: string, sourceFabricName: string): Promise<StoredRow<FabricRecord>> {
  const targets = new Set<string>();
  for await (const row of repository.listAll<MappingRecord>(partition, ROW.mapping, { prefix: [sourceFabricName] })) targets.add(row.value.targetFabricName);
  if (targets.size === 1) {
    const [target] = [...targets] as [string];
    const row = await repository.get<FabricRecord>(partition, FABRIC_ROW, target);
    if (row) return row;
  }
  const recoverySites: StoredRow<FabricRecord>[] = [];
  for await (const row of repository.listAll<FabricRecord>(partition, FABRIC_ROW)) if (row.value.instanceType === 'Azure') recoverySites.push(row);
  const [only] = recoverySites;
  if (recoverySites.length === 1 && only) return only;
  throw invalid(FABRIC_FIELD, `is required: name the recovery site (one of the vault's ${recoverySites.length} 'Azure' fabrics) the network maps to.`);
}

/** The recovery fabric a mapping names (see the module comment); 400/404/409 naming the field. */
export async function resolveRecoveryFabric(repository: ControlPlaneRepository, vault: VaultRef, sourceFabricName: string, named: string | undefined): Promise<StoredRow<FabricRecord>> {
  const partition = vaultPartition(vault);
  let row: StoredRow<FabricRecord> | undefined;
  if (named === undefined || named.trim().toLowerCase() === ASR_AZURE_FABRIC) {
    row = await defaultRecoveryFabric(repository, partition, sourceFabricName);
  } else {
    let name = named;
    if (named.startsWith('/')) {
      const parsed = parseVaultChildId(named);
      const [fabric, ...rest] = parsed?.children ?? [];
      if (!parsed || !sameVault(parsed.vault, vault) || fabric?.type.toLowerCase() !== 'replicationfabrics' || rest.length > 0) throw invalid(FABRIC_FIELD, 'must be the name or id of a recovery site fabric of this vault.');
      name = fabric.name;
    }
    validateName(FABRIC_FIELD, name);
    row = await repository.get<FabricRecord>(partition, FABRIC_ROW, name);
    if (!row) throw new HttpError(404, 'ResourceNotFound', `The recovery fabric named by '${FABRIC_FIELD}' (${JSON.stringify(name)}) was not found.`, undefined, FABRIC_FIELD);
  }
  if (row.value.instanceType !== 'Azure') throw invalid(FABRIC_FIELD, `fabric ${JSON.stringify(row.value.name)} is not a recovery site (Azure).`);
  if (row.value.provisioningState === 'Deleting') throw new HttpError(409, 'OperationInProgress', `The recovery fabric ${JSON.stringify(row.value.name)} is being removed.`);
  return row;
}

/** The virtual network's id a mapping targets at `recoveryFabric` (see the module comment); 400/404 naming the field. */
export async function resolveRecoveryNetworkId(repository: ControlPlaneRepository, vault: VaultRef, recoveryFabric: FabricRecord, id: string): Promise<string> {
  if (isVirtualNetworkId(id)) return id;
  const parsed = parseVaultChildId(id);
  const [fabric, network, ...rest] = parsed?.children ?? [];
  if (!parsed || fabric?.type.toLowerCase() !== 'replicationfabrics' || network?.type.toLowerCase() !== 'replicationnetworks' || rest.length > 0) {
    throw invalid(NETWORK_FIELD, "must be the id of a virtual network (…/providers/Microsoft.Network/virtualNetworks/{name}) or of a network of the recovery fabric (…/replicationFabrics/{fabric}/replicationNetworks/{name}).");
  }
  if (!sameVault(parsed.vault, vault) || fabric.name.toLowerCase() !== recoveryFabric.name.toLowerCase()) {
    throw invalid(NETWORK_FIELD, `must be a network of the recovery fabric ${JSON.stringify(recoveryFabric.name)} of this vault.`);
  }
  const known = recoveryNetworksOf(recoveryFabric.name, await recoveryNetworkUses(repository, vaultPartition(vault)));
  const found = known.find((candidate) => candidate.name.toLowerCase() === network.name.toLowerCase());
  if (!found) {
    throw new HttpError(404, 'ResourceNotFound', `The recovery network named by '${NETWORK_FIELD}' (${JSON.stringify(network.name)}) was not found in fabric ${JSON.stringify(recoveryFabric.name)}.`, undefined, NETWORK_FIELD);
  }
  return found.networkId;
}
