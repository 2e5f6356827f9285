import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { noContent } from '../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../shared/arm/vaultFromRoute.js';
import { acceptedJob } from '../shared/jobs/acceptedJob.js';
import { appDeps } from '../shared/appDeps.js';
import { removeFabric } from '../shared/infra/fabrics.js';
import { requireVault } from '../shared/infra/vaults.js';

/** `replicationFabrics/{fabric}/remove`: removes a fabric (LRO; 409 while mappings or protected items use it). */
export const replicationFabricsRemove = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const job = await removeFabric(plane, vault, request.params.fabricName ?? '');
  return job ? acceptedJob(request, job) : noContent();
});

app.http('replicationFabricsRemove', {
  methods: ['POST'],
  authLevel: 'function',
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/remove`,
  handler: replicationFabricsRemove,
});
