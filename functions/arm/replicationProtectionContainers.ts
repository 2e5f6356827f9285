import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { createContainerBody, putContainer } from '../../shared/infra/containerActions.js';
import { requireFabric } from '../../shared/infra/fabrics.js';
import { requireContainer } from '../../shared/infra/mappings.js';
import { toContainerResource } from '../../shared/infra/protectionContainers.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationProtectionContainers` of a fabric (one each, created with it): get, list, and create (its own container). */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const fabricName = request.params.fabricName ?? '';
  const containerName = request.params.protectionContainerName;
  if (!containerName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const fabric = await requireFabric(repository, vault, fabricName);
    return listPage(request, [await toContainerResource(repository, vault, fabric.value)]);
  }
  if (request.method === 'PUT') return ok(await toContainerResource(repository, vault, await putContainer(appDeps().plane, vault, fabricName, containerName, request.body)));
  const fabric = await requireContainer(repository, vault, fabricName, containerName);
  return ok(await toContainerResource(repository, vault, fabric.value));
});

export const replicationProtectionContainers: ArmFunction = {
  name: 'replicationProtectionContainers',
  methods: ['GET', 'PUT'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationProtectionContainers/{protectionContainerName?}`,
  handler,
  operations: {
    GET: { summary: "Lists a fabric's protection container, or gets it." },
    PUT: { summary: "Creates the fabric's own protection container (it exists with the fabric).", requestBody: createContainerBody, missingBodyAs: {} },
  },
};
