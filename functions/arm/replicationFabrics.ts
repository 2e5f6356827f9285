import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, noContent, ok, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { describeFabric } from '../../shared/infra/describeFabric.js';
import { createFabric, createFabricBody, listFabrics, removeFabric, requireFabric } from '../../shared/infra/fabrics.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationFabrics`: create (LRO), get, list, purge (DELETE, LRO; 409 while in use). */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const fabricName = request.params.fabricName;
  if (!fabricName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const page = await listFabrics(plane.repository, vault, skipToken(request));
    const values = await Promise.all(page.rows.map((row) => describeFabric(plane.repository, vault, row.value)));
    return listPage(request, values, page.continuationToken);
  }
  switch (request.method) {
    case 'PUT': {
      const { fabric, job } = await createFabric(plane, vault, fabricName, request.body);
      return job ? acceptedJob(request, job) : ok(await describeFabric(plane.repository, vault, fabric));
    }
    case 'DELETE': {
      const job = await removeFabric(plane, vault, fabricName);
      return job ? acceptedJob(request, job) : noContent();
    }
    default:
      return ok(await describeFabric(plane.repository, vault, (await requireFabric(plane.repository, vault, fabricName)).value));
  }
});

export const replicationFabrics: ArmFunction = {
  name: 'replicationFabrics',
  methods: ['GET', 'PUT', 'DELETE'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName?}`,
  handler,
  operations: {
    GET: { summary: 'Lists the fabrics of a vault, or gets a fabric.' },
    PUT: { summary: 'Creates a fabric: a Hyper-V site or a recovery site.', requestBody: createFabricBody, responses: [200, 202] },
    DELETE: { summary: 'Purges a fabric (409 while in use).', responses: [202, 204] },
  },
};
