import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, noContent, ok, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { createMapping, createMappingBody, listMappings, removeMapping, requireContainer, requireMapping, toMappingResource } from '../../shared/infra/mappings.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationProtectionContainerMappings` of a container: create (LRO), get, list, purge (DELETE, LRO). */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const fabricName = request.params.fabricName ?? '';
  const containerName = request.params.protectionContainerName ?? '';
  const mappingName = request.params.mappingName;
  if (!mappingName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const fabric = await requireContainer(plane.repository, vault, fabricName, containerName);
    const page = await listMappings(plane.repository, vault, fabric.value.name, skipToken(request));
    return listPage(request, page.rows.map((row) => toMappingResource(vault, row.value)), page.continuationToken);
  }
  switch (request.method) {
    case 'PUT': {
      const { mapping, job } = await createMapping(plane, vault, fabricName, containerName, mappingName, request.body);
      return job ? acceptedJob(request, job) : ok(toMappingResource(vault, mapping));
    }
    case 'DELETE': {
      const job = await removeMapping(plane, vault, fabricName, containerName, mappingName);
      return job ? acceptedJob(request, job) : noContent();
    }
    default:
      return ok(toMappingResource(vault, (await requireMapping(plane.repository, vault, fabricName, containerName, mappingName)).value));
  }
});

export const replicationProtectionContainerMappings: ArmFunction = {
  name: 'replicationProtectionContainerMappings',
  methods: ['GET', 'PUT', 'DELETE'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationProtectionContainers/{protectionContainerName}/replicationProtectionContainerMappings/{mappingName?}`,
  handler,
  operations: {
    GET: { summary: "Lists a container's mappings, or gets one." },
    PUT: { summary: 'Maps the container to a target container with a policy.', requestBody: createMappingBody, responses: [200, 202] },
    DELETE: { summary: 'Purges a mapping.', responses: [202, 204] },
  },
};
