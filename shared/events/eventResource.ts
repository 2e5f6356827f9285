import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import type { SiteRecoveryEvent } from './eventModel.js';

/** An event as ARM serves it (`Event`); without a vault (an unscoped event) it has no id. */
export interface EventResource {
  id?: string;
  name: string;
  type: 'Microsoft.RecoveryServices/vaults/replicationEvents';
  properties: Omit<SiteRecoveryEvent, 'name'>;
}

export function toEventResource(vault: VaultRef | undefined, event: SiteRecoveryEvent): EventResource {
  const { name, ...properties } = event;
  return {
    ...(vault ? { id: vaultChildId(vault, ['replicationEvents', name]) } : {}),
    name,
    type: 'Microsoft.RecoveryServices/vaults/replicationEvents',
    properties,
  };
}
