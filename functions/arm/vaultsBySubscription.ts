import { armHandler } from '../../shared/arm/armHandler.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { listPage, skipToken } from '../../shared/arm/responses.js';
import { appDeps } from '../../shared/appDeps.js';
import { listVaults, toVaultResource } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** All Recovery Services vaults of a subscription. */
const handler = armHandler(
  async (request) => {
    const page = await listVaults(appDeps().plane.repository, request.params.subscriptionId ?? '', undefined, skipToken(request));
    return listPage(request, page.rows.map((row) => toVaultResource(row.value)), page.continuationToken);
  },
  { apiVersions: API_VERSIONS.vaults },
);

export const vaultsBySubscription: ArmFunction = {
  name: 'vaultsBySubscription',
  methods: ['GET'],
  route: 'subscriptions/{subscriptionId}/providers/Microsoft.RecoveryServices/vaults',
  handler,
};
