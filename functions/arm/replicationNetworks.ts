import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireFabric } from '../../shared/infra/fabrics.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { networksOfFabric, requireNetwork } from '../../shared/networks/fabricNetworks.js';
import { toNetworkResource } from '../../shared/networks/networkResource.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationNetworks` of a fabric: list and get (a Hyper-V site's as its hosts report them, a recovery site's as the vault uses them). */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  if (request.method !== 'GET') throw methodNotAllowed(request.method);
  const fabricName = request.params.fabricName ?? '';
  const networkName = request.params.networkName;
  if (!networkName) {
    const fabric = (await requireFabric(repository, vault, fabricName)).value;
    return listPage(request, (await networksOfFabric(repository, vault, fabric)).map((network) => toNetworkResource(vault, network)));
  }
  return ok(toNetworkResource(vault, (await requireNetwork(repository, vault, fabricName, networkName)).network));
});

export const replicationNetworks: ArmFunction = {
  name: 'replicationNetworks',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationNetworks/{networkName?}`,
  handler,
};
