/** The subscription's Recovery Services vaults (`GET /subscriptions/{id}/providers/Microsoft.RecoveryServices/vaults`). */
import { API_VERSIONS } from '../settings.js';
import { armList } from './armClient.js';
import type { Vault } from './types.js';

export function listVaults(subscriptionId: string): Promise<Vault[]> {
  return armList<Vault>(`/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.RecoveryServices/vaults`, { apiVersion: API_VERSIONS.vaults });
}
