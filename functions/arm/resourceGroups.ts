import { armHandler } from '../../shared/arm/armHandler.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { created, noContent, ok } from '../../shared/arm/responses.js';
import { validateName } from '../../shared/arm/validateName.js';
import { appDeps } from '../../shared/appDeps.js';
import { deleteResourceGroup, putResourceGroup, putResourceGroupBody, requireResourceGroup, toResourceGroupResource } from '../../shared/infra/resourceGroups.js';
import { listVaults } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `Microsoft.Resources` resource groups: create or update, get, delete (409 while they hold vaults). */
const handler = armHandler(
  async (request) => {
    const { repository } = appDeps().plane;
    const subscriptionId = validateName('subscriptionId', request.params.subscriptionId);
    const name = validateName('resourceGroupName', request.params.resourceGroupName);
    switch (request.method) {
      case 'PUT': {
        const { group, created: isNew } = await putResourceGroup(repository, subscriptionId, name, request.body);
        return isNew ? created(toResourceGroupResource(group)) : ok(toResourceGroupResource(group));
      }
      case 'DELETE': {
        const existed = await deleteResourceGroup(repository, subscriptionId, name, async () => (await listVaults(repository, subscriptionId, name)).rows.length > 0);
        return existed ? ok(undefined) : noContent();
      }
      default:
        return ok(toResourceGroupResource(await requireResourceGroup(repository, subscriptionId, name)));
    }
  },
  { apiVersions: API_VERSIONS.resources },
);

export const resourceGroups: ArmFunction = {
  name: 'resourceGroups',
  methods: ['GET', 'PUT', 'DELETE'],
  route: 'subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}',
  handler,
  operations: {
    GET: { summary: 'Gets a resource group.' },
    PUT: { summary: 'Creates or updates a resource group.', requestBody: putResourceGroupBody, missingBodyAs: {}, responses: [200, 201] },
    DELETE: { summary: 'Deletes a resource group (409 while it holds vaults).', responses: [200, 204] },
  },
};
