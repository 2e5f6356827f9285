import { armHandler } from '../../shared/arm/armHandler.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { ok } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** Returns the vault's registration key, which site hosts present when they report. */
const handler = armHandler(
  async (request) => {
    const vault = await requireVault(appDeps().plane.repository, vaultFromRoute(request.params));
    return ok({ registrationKey: vault.registrationKey });
  },
  { apiVersions: [...new Set([...API_VERSIONS.vaults, ...API_VERSIONS.siteRecovery])] },
);

export const vaultRegistrationKey: ArmFunction = {
  name: 'vaultRegistrationKey',
  methods: ['POST'],
  route: 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/{vaultName}/listRegistrationKey',
  handler,
  operations: { POST: { summary: "Gets the vault's registration key, which site hosts present when they report." } },
};
