import { appDeps } from '../../shared/appDeps.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, ok, skipToken } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { requireProtectedItem } from '../../shared/protection/itemLookup.js';
import { itemRouteOf, PROTECTED_ITEM_ROUTE } from '../../shared/protection/protectedItemRoutes.js';
import { getRecoveryPoint, listRecoveryPoints } from '../../shared/protection/recoveryPointResource.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `recoveryPoints` of a protected item: get and list, newest first. */
const handler = armHandler(async (request) => {
  const deps = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(deps.plane.repository, vault);
  const item = (await requireProtectedItem(deps.plane.repository, vault, itemRouteOf(request.params))).value;
  const pointName = request.params.recoveryPointName;
  if (pointName) return ok(await getRecoveryPoint(deps, vault, item, pointName));
  const page = await listRecoveryPoints(deps, vault, item, skipToken(request));
  return listPage(request, page.values, page.continuationToken);
});

export const recoveryPoints: ArmFunction = {
  name: 'recoveryPoints',
  methods: ['GET'],
  route: `${PROTECTED_ITEM_ROUTE}/recoveryPoints/{recoveryPointName?}`,
  handler,
};
