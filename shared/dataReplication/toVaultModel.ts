/**
 * A Recovery Services vault as `Microsoft.DataReplication/replicationVaults` shows it (`VaultModel`).
 * Pure.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultId } from '../arm/resourceId.js';
import { vaultRefOf, type VaultRecord } from '../infra/vaults.js';
import { drVaultId, DR_TYPE } from './dataReplicationIds.js';

/**
 * The vault: a disaster-recovery vault whose `serviceResourceId` is the Recovery Services vault that
 * holds its items; `systemData` carries what the record knows (when it was created).
 */
export function toVaultModel(vault: VaultRecord): ArmResource {
  const ref = vaultRefOf(vault);
  const resource = armResource(
    drVaultId(ref),
    vault.name,
    DR_TYPE.vault,
    { provisioningState: 'Succeeded', serviceResourceId: vaultId(ref), vaultType: 'DisasterRecovery' },
    vault.location,
  );
  resource.tags = vault.tags ?? {};
  resource.systemData = { createdAt: vault.createdAt };
  return resource;
}
