import { VAULT_ROUTE } from '../arm/vaultFromRoute.js';

/** Route of a container's protected items (for `app.http` routes). */
export const PROTECTED_ITEMS_ROUTE = `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationProtectionContainers/{protectionContainerName}/replicationProtectedItems`;

/** Route of one protected item. */
export const PROTECTED_ITEM_ROUTE = `${PROTECTED_ITEMS_ROUTE}/{replicatedProtectedItemName}`;

/** The item's route names from a request's parameters. */
export function itemRouteOf(params: Record<string, string | undefined>): { fabricName: string; containerName: string; itemName: string } {
  return { fabricName: params.fabricName ?? '', containerName: params.protectionContainerName ?? '', itemName: params.replicatedProtectedItemName ?? '' };
}
