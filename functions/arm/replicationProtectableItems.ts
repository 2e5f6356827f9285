import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireContainer } from '../../shared/infra/mappings.js';
import { getProtectableItem, listProtectableItems } from '../../shared/infra/protectableItems.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationProtectableItems`: the VMs a Hyper-V site's hosts reported, get and list. */
const handler = armHandler(async (request) => {
  const { plane, sites } = appDeps();
  const { repository } = plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const fabric = await requireContainer(repository, vault, request.params.fabricName ?? '', request.params.protectionContainerName ?? '');
  const itemName = request.params.protectableItemName;
  if (itemName) return ok(await getProtectableItem(repository, vault, fabric.value, itemName, sites.sourceDiskUrl));
  return listPage(request, await listProtectableItems(repository, vault, fabric.value, sites.sourceDiskUrl));
});

export const replicationProtectableItems: ArmFunction = {
  name: 'replicationProtectableItems',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationProtectionContainers/{protectionContainerName}/replicationProtectableItems/{protectableItemName?}`,
  handler,
};
