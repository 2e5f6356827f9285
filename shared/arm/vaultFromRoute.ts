import type { VaultRef } from './resourceId.js';

/** The vault named by a route's `{subscriptionId}`, `{resourceGroupName}` and `{vaultName}` parameters. */
export function vaultFromRoute(params: Record<string, string | undefined>): VaultRef {
  return {
    subscriptionId: params.subscriptionId ?? '',
    resourceGroupName: params.resourceGroupName ?? '',
    vaultName: params.vaultName ?? '',
  };
}

/** The route prefix of everything under a vault (for `app.http` routes). */
export const VAULT_ROUTE = 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/{vaultName}';
