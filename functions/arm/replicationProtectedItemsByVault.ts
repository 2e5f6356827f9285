import { appDeps } from '../../shared/appDeps.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { listProtectedItems } from '../../shared/protection/itemLookup.js';
import { describeProtectedItems } from '../../shared/protection/protectedItemResource.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** All replication protected items of a vault. */
const handler = armHandler(async (request) => {
  const deps = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(deps.plane.repository, vault);
  const page = await listProtectedItems(deps.plane.repository, vault, undefined, skipToken(request) ?? request.query.get('skipToken') ?? undefined);
  return listPage(request, await describeProtectedItems(deps, vault, page.rows.map((row) => row.value)), page.continuationToken);
});

export const replicationProtectedItemsByVault: ArmFunction = {
  name: 'replicationProtectedItemsByVault',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationProtectedItems`,
  handler,
};
