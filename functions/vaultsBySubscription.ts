import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { API_VERSIONS } from '../shared/arm/apiVersion.js';
import { listPage, skipToken } from '../shared/arm/responses.js';
import { appDeps } from '../shared/appDeps.js';
import { listVaults, toVaultResource } from '../shared/infra/vaults.js';

/** All Recovery Services vaults of a subscription. */
export const vaultsBySubscription = armHandler(
  async (request) => {
    const page = await listVaults(appDeps().plane.repository, request.params.subscriptionId ?? '', undefined, skipToken(request));
    return listPage(request, page.rows.map((row) => toVaultResource(row.value)), page.continuationToken);
  },
  { apiVersions: API_VERSIONS.vaults },
);

app.http('vaultsBySubscription', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'subscriptions/{subscriptionId}/providers/Microsoft.RecoveryServices/vaults',
  handler: vaultsBySubscription,
});
