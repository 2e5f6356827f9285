import { app } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { armHandler } from '../shared/arm/armHandler.js';
import { listPage } from '../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../shared/arm/vaultFromRoute.js';
import { listReplicationAppliances } from '../shared/infra/listReplicationAppliances.js';
import { requireVault } from '../shared/infra/vaults.js';

/** `replicationAppliances` of a vault: the Hyper-V hosts that report to its sites, with their health. */
export const replicationAppliances = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  return listPage(request, await listReplicationAppliances(plane.repository, vault, request.query.get('$filter')));
});

app.http('replicationAppliances', {
  methods: ['GET'],
  authLevel: 'function',
  route: `${VAULT_ROUTE}/replicationAppliances`,
  handler: replicationAppliances,
});
