import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { getVaultSetting, putVaultSetting, putVaultSettingBody, toVaultSettingResource } from '../../shared/infra/vaultSettings.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationVaultSettings`: the vault's `default` setting — create (PUT), get, list. */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const name = request.params.vaultSettingName;
  if (!name) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    return listPage(request, [toVaultSettingResource(vault, await getVaultSetting(repository, vault))]);
  }
  if (request.method === 'PUT') return ok(toVaultSettingResource(vault, await putVaultSetting(repository, vault, name, request.body)));
  return ok(toVaultSettingResource(vault, await getVaultSetting(repository, vault, name)));
});

export const replicationVaultSettings: ArmFunction = {
  name: 'replicationVaultSettings',
  methods: ['GET', 'PUT'],
  route: `${VAULT_ROUTE}/replicationVaultSettings/{vaultSettingName?}`,
  handler,
  operations: {
    GET: { summary: "Lists the vault's settings, or gets its `default` setting." },
    PUT: { summary: "Creates or changes the vault's `default` setting.", requestBody: putVaultSettingBody },
  },
};
