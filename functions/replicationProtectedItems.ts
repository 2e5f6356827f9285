import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { methodNotAllowed } from '../shared/arm/methodNotAllowed.js';
import { listPage, noContent, ok, skipToken } from '../shared/arm/responses.js';
import { vaultFromRoute } from '../shared/arm/vaultFromRoute.js';
import { acceptedJob } from '../shared/jobs/acceptedJob.js';
import { requireVault } from '../shared/infra/vaults.js';
import { disableProtection } from '../shared/protection/disableProtection.js';
import { enableProtection } from '../shared/protection/enableProtection.js';
import '../shared/protection/protectedItemDependents.js';
import { PROTECTED_ITEMS_ROUTE } from '../shared/protection/protectedItemRoutes.js';
import { describeProtectedItem, describeProtectedItems } from '../shared/protection/protectedItemResource.js';
import { clientRequestIdOf, listProtectedItems, requireItemRoute, requireProtectedItem } from '../shared/protection/protectedItems.js';
import { getProtectionServices } from '../shared/protection/protectionServices.js';
import { updateProtectedItem } from '../shared/protection/updateProtectedItem.js';

/**
 * `replicationProtectedItems` of a container: enable protection (PUT, LRO), get, list, update
 * (PATCH, LRO), purge (DELETE, LRO).
 */
export const replicationProtectedItems = armHandler(async (request) => {
  const services = getProtectionServices();
  const plane = services.plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const fabricName = request.params.fabricName ?? '';
  const containerName = request.params.protectionContainerName ?? '';
  const itemName = request.params.replicatedProtectedItemName;
  if (!itemName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const scope = await requireItemRoute(plane.repository, vault, fabricName, containerName);
    const page = await listProtectedItems(plane.repository, vault, scope, skipToken(request));
    return listPage(request, await describeProtectedItems(services, vault, page.rows.map((row) => row.value)), page.continuationToken);
  }
  const route = { fabricName, containerName, itemName };
  switch (request.method) {
    case 'PUT': {
      const { record, job } = await enableProtection(plane, vault, route, request.body);
      return job ? acceptedJob(request, job) : ok(await describeProtectedItem(services, vault, record));
    }
    case 'PATCH':
      return acceptedJob(request, (await updateProtectedItem(plane, vault, route, request.body, clientRequestIdOf(request.headers))).job);
    case 'DELETE': {
      const clientRequestId = clientRequestIdOf(request.headers);
      const job = await disableProtection(plane, vault, route, undefined, { purge: true, ...(clientRequestId ? { clientRequestId } : {}) });
      return job ? acceptedJob(request, job) : noContent();
    }
    default:
      return ok(await describeProtectedItem(services, vault, (await requireProtectedItem(plane.repository, vault, fabricName, containerName, itemName)).value));
  }
});

app.http('replicationProtectedItems', {
  methods: ['GET', 'PUT', 'PATCH', 'DELETE'],
  authLevel: 'function',
  route: `${PROTECTED_ITEMS_ROUTE}/{replicatedProtectedItemName?}`,
  handler: replicationProtectedItems,
});
