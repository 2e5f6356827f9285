import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { listPage, ok } from '../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../shared/arm/vaultFromRoute.js';
import { getControlPlane } from '../shared/jobs/controlPlane.js';
import { requireContainer } from '../shared/infra/mappings.js';
import { getProtectableItem, listProtectableItems } from '../shared/infra/protectableItems.js';
import { requireVault } from '../shared/infra/vaults.js';

/** `replicationProtectableItems`: the VMs a Hyper-V site's hosts reported, get and list. */
export const replicationProtectableItems = armHandler(async (request) => {
  const { repository } = getControlPlane();
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const fabric = await requireContainer(repository, vault, request.params.fabricName ?? '', request.params.protectionContainerName ?? '');
  const itemName = request.params.protectableItemName;
  if (itemName) return ok(await getProtectableItem(repository, vault, fabric.value, itemName));
  return listPage(request, await listProtectableItems(repository, vault, fabric.value));
});

app.http('replicationProtectableItems', {
  methods: ['GET'],
  authLevel: 'function',
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/replicationProtectionContainers/{protectionContainerName}/replicationProtectableItems/{protectableItemName?}`,
  handler: replicationProtectableItems,
});
