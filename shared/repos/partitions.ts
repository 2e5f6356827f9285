import type { VaultRef } from '../arm/resourceId.js';
import { escapeKey } from './escapeKey.js';

/** Partition of all rows that belong to one vault (its resources, jobs, inventory). */
export function vaultPartition(vault: VaultRef): string {
  return `vault|${escapeKey(vault.subscriptionId)}|${escapeKey(vault.resourceGroupName)}|${escapeKey(vault.vaultName)}`;
}

/** Partition of a subscription's resource groups and vault rows. */
export function subscriptionPartition(subscriptionId: string): string {
  return `subscription|${escapeKey(subscriptionId)}`;
}
