import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { listFabrics } from '../../shared/infra/fabrics.js';
import { toContainerResource } from '../../shared/infra/protectionContainers.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** All protection containers of a vault (one per fabric). */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const page = await listFabrics(repository, vault, skipToken(request));
  const values = await Promise.all(page.rows.map((row) => toContainerResource(repository, vault, row.value)));
  return listPage(request, values, page.continuationToken);
});

export const replicationProtectionContainersByVault: ArmFunction = {
  name: 'replicationProtectionContainersByVault',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationProtectionContainers`,
  handler,
};
