import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, noContent, ok, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireFabric } from '../../shared/infra/fabrics.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { describeProviders } from '../../shared/providers/describeProviders.js';
import { listProviders, requireProvider } from '../../shared/providers/providerRecord.js';
import { removeProvider } from '../../shared/providers/removeProvider.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/**
 * `replicationRecoveryServicesProviders` of a fabric: list, get, purge (DELETE, LRO; 409 while
 * items protect VMs on the host). Providers register when their host first reports, not by PUT.
 */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const fabricName = request.params.fabricName ?? '';
  const providerName = request.params.providerName;
  if (!providerName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const fabric = await requireFabric(plane.repository, vault, fabricName);
    const page = await listProviders(plane.repository, vault, fabric.value.name, skipToken(request));
    return listPage(request, await describeProviders(plane.repository, vault, page.rows.map((row) => row.value)), page.continuationToken);
  }
  switch (request.method) {
    case 'PUT':
      throw new HttpError(405, 'MethodNotAllowed', 'A Hyper-V host registers as a provider when it first reports to the vault with its registration key (POST /api/hyperVSites/report).');
    case 'DELETE': {
      const job = await removeProvider(plane, vault, fabricName, providerName, 'purge');
      return job ? acceptedJob(request, job) : noContent();
    }
    default: {
      const [resource] = await describeProviders(plane.repository, vault, [(await requireProvider(plane.repository, vault, fabricName, providerName)).value]);
      return ok(resource);
    }
  }
});

export const replicationRecoveryServicesProviders: ArmFunction = {
  name: 'replicationRecoveryServicesProviders',
  methods: ['GET', 'PUT', 'DELETE'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationRecoveryServicesProviders/{providerName?}`,
  handler,
  operations: {
    GET: { summary: "Lists a fabric's providers (its reporting Hyper-V hosts), or gets one." },
    PUT: { summary: 'Refused (405): a Hyper-V host registers as a provider when it first reports (POST /api/hyperVSites/report).', responses: [] },
    DELETE: { summary: 'Purges a provider (409 while items protect VMs on its host).', responses: [202, 204] },
  },
};
