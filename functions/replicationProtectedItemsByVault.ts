import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { listPage, skipToken } from '../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../shared/arm/vaultFromRoute.js';
import { requireVault } from '../shared/infra/vaults.js';
import { describeProtectedItems } from '../shared/protection/protectedItemResource.js';
import { listProtectedItems } from '../shared/protection/protectedItems.js';
import { getProtectionServices } from '../shared/protection/protectionServices.js';

/** All replication protected items of a vault. */
export const replicationProtectedItemsByVault = armHandler(async (request) => {
  const services = getProtectionServices();
  const vault = vaultFromRoute(request.params);
  await requireVault(services.plane.repository, vault);
  const page = await listProtectedItems(services.plane.repository, vault, undefined, skipToken(request) ?? request.query.get('skipToken') ?? undefined);
  return listPage(request, await describeProtectedItems(services, vault, page.rows.map((row) => row.value)), page.continuationToken);
});

app.http('replicationProtectedItemsByVault', {
  methods: ['GET'],
  authLevel: 'function',
  route: `${VAULT_ROUTE}/replicationProtectedItems`,
  handler: replicationProtectedItemsByVault,
});
