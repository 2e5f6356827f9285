import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { listPage, skipToken } from '../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../shared/arm/vaultFromRoute.js';
import { appDeps } from '../shared/appDeps.js';
import { requireVault } from '../shared/infra/vaults.js';
import { toNetworkMappingResource } from '../shared/networks/networkMappingResource.js';
import { listNetworkMappings } from '../shared/networks/networkMappings.js';

/** All network mappings of a vault. */
export const replicationNetworkMappingsByVault = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const page = await listNetworkMappings(repository, vault, undefined, skipToken(request));
  return listPage(request, page.rows.map((row) => toNetworkMappingResource(vault, row.value)), page.continuationToken);
});

app.http('replicationNetworkMappingsByVault', {
  methods: ['GET'],
  authLevel: 'function',
  route: `${VAULT_ROUTE}/replicationNetworkMappings`,
  handler: replicationNetworkMappingsByVault,
});
