/** The vault's Site Recovery events (`replicationEvents`), newest first. */
import { API_VERSIONS } from '../settings.js';
import { armList } from './armClient.js';
import { vaultPath, type VaultRef } from './resourcePaths.js';
import type { SiteRecoveryEvent } from './types.js';

/** Pages of events read (100 each). */
const EVENT_PAGES = 5;

export function listEvents(vault: VaultRef, filter?: string): Promise<SiteRecoveryEvent[]> {
  return armList<SiteRecoveryEvent>(`${vaultPath(vault)}/replicationEvents`, { apiVersion: API_VERSIONS.siteRecovery, ...(filter ? { query: { $filter: filter } } : {}) }, EVENT_PAGES);
}
