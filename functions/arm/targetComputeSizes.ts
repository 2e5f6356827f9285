import { appDeps } from '../../shared/appDeps.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { requireProtectedItem } from '../../shared/protection/itemLookup.js';
import { itemRouteOf, PROTECTED_ITEM_ROUTE } from '../../shared/protection/protectedItemRoutes.js';
import { targetComputeSizesOf } from '../../shared/protection/recoverySizes.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `targetComputeSizes` of a protected item: the recovery site's VM sizes, each with what keeps it from running the VM. */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const item = (await requireProtectedItem(plane.repository, vault, itemRouteOf(request.params))).value;
  return listPage(request, targetComputeSizesOf(vault, item));
});

export const targetComputeSizes: ArmFunction = {
  name: 'targetComputeSizes',
  methods: ['GET'],
  route: `${PROTECTED_ITEM_ROUTE}/targetComputeSizes`,
  handler,
};
