import { armHandler } from '../../shared/arm/armHandler.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { discoverProtectableItem, discoverProtectableItemBody, removeContainer } from '../../shared/infra/containerActions.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** POST actions on a protection container: `discoverProtectableItem` (a finished job) and `remove` (refused: containers go with their site). */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const fabricName = request.params.fabricName ?? '';
  const containerName = request.params.protectionContainerName ?? '';
  switch ((request.params.action ?? '').toLowerCase()) {
    case 'discoverprotectableitem':
      return acceptedJob(request, await discoverProtectableItem(plane, vault, fabricName, containerName, request.body));
    case 'remove':
      return removeContainer(plane, vault, fabricName, containerName);
    case 'switchprotection':
    case 'switchclusterprotection':
      throw new HttpError(400, 'OperationNotSupported', `The operation '${request.params.action ?? ''}' applies to Azure-to-Azure protection, which this service does not provide.`);
    default:
      throw new HttpError(404, 'OperationNotSupported', `The operation ${JSON.stringify(request.params.action ?? '')} is not supported on protection containers; supported: discoverProtectableItem, remove.`);
  }
});

export const replicationProtectionContainerActions: ArmFunction = {
  name: 'replicationProtectionContainerActions',
  methods: ['POST'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationProtectionContainers/{protectionContainerName}/{action}`,
  handler,
  operations: {
    POST: {
      actions: {
        discoverProtectableItem: { summary: "Looks a VM up in what the site's hosts last reported.", requestBody: discoverProtectableItemBody, responses: [202] },
        remove: { summary: 'Refused: a container is removed with its site (400), and not while in use (409).', responses: [] },
      },
    },
  },
};
