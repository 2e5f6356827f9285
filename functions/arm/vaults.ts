import { armHandler } from '../../shared/arm/armHandler.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { created, listPage, noContent, ok, skipToken } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { FABRIC_ROW } from '../../shared/infra/fabrics.js';
import { deleteVault, listVaults, patchVault, patchVaultBody, putVault, putVaultBody, requireVault, toVaultResource } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** Recovery Services vaults of a resource group: create or update, update tags and SKU (PATCH), get, list, delete (409 while they have fabrics). */
const handler = armHandler(
  async (request) => {
    const { repository } = appDeps().plane;
    const vault = vaultFromRoute(request.params);
    if (!request.params.vaultName) {
      if (request.method !== 'GET') throw methodNotAllowed(request.method);
      const page = await listVaults(repository, vault.subscriptionId, vault.resourceGroupName, skipToken(request));
      return listPage(request, page.rows.map((row) => toVaultResource(row.value)), page.continuationToken);
    }
    switch (request.method) {
      case 'PUT': {
        const result = await putVault(repository, vault, request.body);
        return result.created ? created(toVaultResource(result.vault)) : ok(toVaultResource(result.vault));
      }
      case 'PATCH':
        return ok(toVaultResource(await patchVault(repository, vault, request.body)));
      case 'DELETE':
        return (await deleteVault(repository, vault, FABRIC_ROW)) ? ok(undefined) : noContent();
      default:
        return ok(toVaultResource(await requireVault(repository, vault)));
    }
  },
  { apiVersions: API_VERSIONS.vaults },
);

export const vaults: ArmFunction = {
  name: 'vaults',
  methods: ['GET', 'PUT', 'PATCH', 'DELETE'],
  route: 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/{vaultName?}',
  handler,
  operations: {
    GET: { summary: 'Lists the vaults of a resource group, or gets a vault.' },
    PUT: { summary: 'Creates or updates a vault.', requestBody: putVaultBody, missingBodyAs: {}, responses: [200, 201] },
    PATCH: { summary: "Changes a vault's tags and SKU.", requestBody: patchVaultBody, missingBodyAs: {} },
    DELETE: { summary: 'Deletes a vault (409 while it has fabrics).', responses: [200, 204] },
  },
};
