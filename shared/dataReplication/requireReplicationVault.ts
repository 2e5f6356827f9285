/** Finding the vault a DataReplication route names, and the paging parameter of its lists. */
import type { ArmRequest } from '../arm/armHandler.js';
import type { VaultRef } from '../arm/resourceId.js';
import { skipToken } from '../arm/responses.js';
import { HttpError } from '../errors/HttpError.js';
import { requireVault, type VaultRecord } from '../infra/vaults.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { DR_TYPE } from './dataReplicationIds.js';

/** The Recovery Services vault of that name, or 404 naming it as a `replicationVaults` resource (names checked first). */
export async function requireReplicationVault(repository: ControlPlaneRepository, vault: VaultRef): Promise<VaultRecord> {
  try {
    return await requireVault(repository, vault);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      throw new HttpError(404, 'ResourceNotFound', `The Resource '${DR_TYPE.vault}/${vault.vaultName}' under resource group '${vault.resourceGroupName}' was not found.`);
    }
    throw error;
  }
}

/** A list request's continuation token: DataReplication's `continuationToken`, or the `$skiptoken` of a `nextLink`. */
export function continuationTokenOf(request: ArmRequest): string | undefined {
  return request.query.get('continuationToken') ?? skipToken(request);
}
