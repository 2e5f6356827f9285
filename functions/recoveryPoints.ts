import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { listPage, ok, skipToken } from '../shared/arm/responses.js';
import { vaultFromRoute } from '../shared/arm/vaultFromRoute.js';
import { requireVault } from '../shared/infra/vaults.js';
import { itemRouteOf, PROTECTED_ITEM_ROUTE } from '../shared/protection/protectedItemRoutes.js';
import { requireProtectedItem } from '../shared/protection/protectedItems.js';
import { getProtectionServices } from '../shared/protection/protectionServices.js';
import { getRecoveryPoint, listRecoveryPoints } from '../shared/protection/recoveryPointResource.js';

/** `recoveryPoints` of a protected item: get and list, newest first. */
export const recoveryPoints = armHandler(async (request) => {
  const services = getProtectionServices();
  const vault = vaultFromRoute(request.params);
  await requireVault(services.plane.repository, vault);
  const route = itemRouteOf(request.params);
  const item = (await requireProtectedItem(services.plane.repository, vault, route.fabricName, route.containerName, route.itemName)).value;
  const pointName = request.params.recoveryPointName;
  if (pointName) return ok(await getRecoveryPoint(services, vault, item, pointName));
  const page = await listRecoveryPoints(services, vault, item, skipToken(request));
  return listPage(request, page.values, page.continuationToken);
});

app.http('recoveryPoints', {
  methods: ['GET'],
  authLevel: 'function',
  route: `${PROTECTED_ITEM_ROUTE}/recoveryPoints/{recoveryPointName?}`,
  handler: recoveryPoints,
});
