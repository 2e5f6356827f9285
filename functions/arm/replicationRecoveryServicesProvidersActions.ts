import { armHandler } from '../../shared/arm/armHandler.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { refreshProvider } from '../../shared/providers/refreshProvider.js';
import { removeProvider } from '../../shared/providers/removeProvider.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/**
 * `replicationRecoveryServicesProviders/{provider}/refreshProvider` (LRO → the provider) and
 * `…/remove` (LRO; unregisters a connected provider, 409 while items protect VMs on its host).
 */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const { fabricName = '', providerName = '' } = request.params;
  switch (request.params.action?.toLowerCase()) {
    case 'refreshprovider':
      return acceptedJob(request, await refreshProvider(plane, vault, fabricName, providerName));
    case 'remove': {
      const job = await removeProvider(plane, vault, fabricName, providerName, 'remove');
      if (!job) throw new HttpError(404, 'ResourceNotFound', `Recovery services provider ${JSON.stringify(providerName)} was not found.`, undefined, 'providerName');
      return acceptedJob(request, job);
    }
    default:
      throw new HttpError(404, 'NotFound', 'Unknown provider action; use refreshProvider or remove.');
  }
});

export const replicationRecoveryServicesProvidersActions: ArmFunction = {
  name: 'replicationRecoveryServicesProvidersActions',
  methods: ['POST'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationRecoveryServicesProviders/{providerName}/{action}`,
  handler,
  operations: {
    POST: {
      actions: {
        refreshProvider: { summary: "Refreshes a provider from its host's latest report.", responses: [202] },
        remove: { summary: 'Unregisters a provider (409 while items protect VMs on its host).', responses: [202] },
      },
    },
  },
};
