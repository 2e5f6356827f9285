import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { toNetworkMappingResource } from '../../shared/networks/networkMappingResource.js';
import { listNetworkMappings } from '../../shared/networks/networkMappings.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** All network mappings of a vault. */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const page = await listNetworkMappings(repository, vault, undefined, skipToken(request));
  return listPage(request, page.rows.map((row) => toNetworkMappingResource(vault, row.value)), page.continuationToken);
});

export const replicationNetworkMappingsByVault: ArmFunction = {
  name: 'replicationNetworkMappingsByVault',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationNetworkMappings`,
  handler,
};
