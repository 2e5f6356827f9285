import { appDeps } from '../../shared/appDeps.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { listReplicationAppliances } from '../../shared/infra/listReplicationAppliances.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationAppliances` of a vault: the Hyper-V hosts that report to its sites, with their health. */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  return listPage(request, await listReplicationAppliances(plane.repository, vault, request.query.get('$filter')));
});

export const replicationAppliances: ArmFunction = {
  name: 'replicationAppliances',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationAppliances`,
  handler,
};
