import { armHandler } from '../../shared/arm/armHandler.js';
import { noContent } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { removeMapping } from '../../shared/infra/mappings.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationProtectionContainerMappings/{mapping}/remove`: removes a mapping (LRO; 409 while protected items use it). */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const { fabricName = '', protectionContainerName = '', mappingName = '' } = request.params;
  const job = await removeMapping(plane, vault, fabricName, protectionContainerName, mappingName);
  return job ? acceptedJob(request, job) : noContent();
});

export const replicationProtectionContainerMappingsRemove: ArmFunction = {
  name: 'replicationProtectionContainerMappingsRemove',
  methods: ['POST'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationProtectionContainers/{protectionContainerName}/replicationProtectionContainerMappings/{mappingName}/remove`,
  handler,
  operations: { POST: { summary: 'Removes a mapping (409 while protected items use it).', responses: [202, 204] } },
};
