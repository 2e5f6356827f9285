import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, noContent, ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { toNetworkMappingResource } from '../../shared/networks/networkMappingResource.js';
import { createNetworkMappingBody, updateNetworkMappingBody } from '../../shared/networks/networkMappingSchema.js';
import { createNetworkMapping, deleteNetworkMapping, listNetworkMappings, requireNetworkMapping, updateNetworkMapping } from '../../shared/networks/networkMappings.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationNetworkMappings` of a network: create (PUT, LRO), update (PATCH, LRO), get, list, delete (LRO). */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const fabricName = request.params.fabricName ?? '';
  const networkName = request.params.networkName ?? '';
  const mappingName = request.params.networkMappingName;
  if (!mappingName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const page = await listNetworkMappings(plane.repository, vault, { fabricName, networkName });
    return listPage(request, page.rows.map((row) => toNetworkMappingResource(vault, row.value)), page.continuationToken);
  }
  switch (request.method) {
    case 'PUT': {
      const { mapping, job } = await createNetworkMapping(plane, vault, fabricName, networkName, mappingName, request.body);
      return job ? acceptedJob(request, job) : ok(toNetworkMappingResource(vault, mapping));
    }
    case 'PATCH':
      return acceptedJob(request, (await updateNetworkMapping(plane, vault, fabricName, networkName, mappingName, request.body)).job);
    case 'DELETE': {
      const job = await deleteNetworkMapping(plane, vault, fabricName, networkName, mappingName);
      return job ? acceptedJob(request, job) : noContent();
    }
    default:
      return ok(toNetworkMappingResource(vault, (await requireNetworkMapping(plane.repository, vault, fabricName, networkName, mappingName)).value));
  }
});

export const replicationNetworkMappings: ArmFunction = {
  name: 'replicationNetworkMappings',
  methods: ['GET', 'PUT', 'PATCH', 'DELETE'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationNetworks/{networkName}/replicationNetworkMappings/{networkMappingName?}`,
  handler,
  operations: {
    GET: { summary: "Lists a network's mappings, or gets one." },
    PUT: { summary: 'Maps a source network to a recovery network.', requestBody: createNetworkMappingBody, responses: [200, 202] },
    PATCH: { summary: 'Changes a network mapping.', requestBody: updateNetworkMappingBody, responses: [202] },
    DELETE: { summary: 'Deletes a network mapping.', responses: [202, 204] },
  },
};
