import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { networksOfVault } from '../../shared/networks/fabricNetworks.js';
import { toNetworkResource } from '../../shared/networks/networkResource.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** All networks of a vault's fabrics. */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  return listPage(request, (await networksOfVault(repository, vault)).map((network) => toNetworkResource(vault, network)));
});

export const replicationNetworksByVault: ArmFunction = {
  name: 'replicationNetworksByVault',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationNetworks`,
  handler,
};
