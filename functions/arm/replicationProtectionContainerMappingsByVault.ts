import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { listMappings, toMappingResource } from '../../shared/infra/mappings.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** All protection container mappings of a vault. */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const page = await listMappings(repository, vault, undefined, skipToken(request));
  return listPage(request, page.rows.map((row) => toMappingResource(vault, row.value)), page.continuationToken);
});

export const replicationProtectionContainerMappingsByVault: ArmFunction = {
  name: 'replicationProtectionContainerMappingsByVault',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationProtectionContainerMappings`,
  handler,
};
