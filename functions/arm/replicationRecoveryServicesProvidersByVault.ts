import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { describeProviders } from '../../shared/providers/describeProviders.js';
import { listProviders } from '../../shared/providers/providerRecord.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** All recovery services providers of a vault (every registered Hyper-V host). */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const page = await listProviders(repository, vault, undefined, skipToken(request));
  return listPage(request, await describeProviders(repository, vault, page.rows.map((row) => row.value)), page.continuationToken);
});

export const replicationRecoveryServicesProvidersByVault: ArmFunction = {
  name: 'replicationRecoveryServicesProvidersByVault',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationRecoveryServicesProviders`,
  handler,
};
