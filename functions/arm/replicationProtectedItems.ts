import { appDeps } from '../../shared/appDeps.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, noContent, ok, skipToken } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { clientRequestIdOf } from '../../shared/arm/clientRequestId.js';
import { disableProtection } from '../../shared/protection/disableProtection.js';
import { enableProtection } from '../../shared/protection/enableProtection.js';
import { listProtectedItems, requireItemRoute, requireProtectedItem } from '../../shared/protection/itemLookup.js';
import { PROTECTED_ITEMS_ROUTE } from '../../shared/protection/protectedItemRoutes.js';
import { enableProtectionBody, updateProtectedItemBody } from '../../shared/protection/protectionInputs.js';
import { describeProtectedItem, describeProtectedItems } from '../../shared/protection/protectedItemResource.js';
import { updateProtectedItem } from '../../shared/protection/updateProtectedItem.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/**
 * `replicationProtectedItems` of a container: enable protection (PUT, LRO), get, list, update
 * (PATCH, LRO), purge (DELETE, LRO).
 */
const handler = armHandler(async (request) => {
  const deps = appDeps();
  const { plane } = deps;
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const fabricName = request.params.fabricName ?? '';
  const containerName = request.params.protectionContainerName ?? '';
  const itemName = request.params.replicatedProtectedItemName;
  if (!itemName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const scope = await requireItemRoute(plane.repository, vault, fabricName, containerName);
    const page = await listProtectedItems(plane.repository, vault, scope, skipToken(request));
    return listPage(request, await describeProtectedItems(deps, vault, page.rows.map((row) => row.value)), page.continuationToken);
  }
  const route = { fabricName, containerName, itemName };
  const clientRequestId = clientRequestIdOf(request.headers);
  switch (request.method) {
    case 'PUT': {
      const { record, job } = await enableProtection(plane, vault, route, request.body);
      return job ? acceptedJob(request, job) : ok(await describeProtectedItem(deps, vault, record));
    }
    case 'PATCH':
      return acceptedJob(request, (await updateProtectedItem(plane, vault, route, request.body, clientRequestId)).job);
    case 'DELETE': {
      const job = await disableProtection(plane, vault, route, undefined, { purge: true, ...(clientRequestId ? { clientRequestId } : {}) });
      return job ? acceptedJob(request, job) : noContent();
    }
    default:
      return ok(await describeProtectedItem(deps, vault, (await requireProtectedItem(plane.repository, vault, route)).value));
  }
});

export const replicationProtectedItems: ArmFunction = {
  name: 'replicationProtectedItems',
  methods: ['GET', 'PUT', 'PATCH', 'DELETE'],
  route: `${PROTECTED_ITEMS_ROUTE}/{replicatedProtectedItemName?}`,
  handler,
  operations: {
    GET: { summary: "Lists a container's protected items, or gets one." },
    PUT: { summary: 'Enables protection of a VM.', requestBody: enableProtectionBody, responses: [200, 202] },
    PATCH: { summary: "Updates a protected item's recovery compute and network settings.", requestBody: updateProtectedItemBody, responses: [202] },
    DELETE: { summary: 'Purges a protected item: disables its protection and deletes what replication wrote.', responses: [202, 204] },
  },
};
