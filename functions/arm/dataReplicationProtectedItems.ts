import { appDeps } from '../../shared/appDeps.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { DR_VAULT_ROUTE } from '../../shared/dataReplication/dataReplicationIds.js';
import { describeProtectedItemModel, describeProtectedItemModels } from '../../shared/dataReplication/describeProtectedItemModels.js';
import { requireProtectedItemByName } from '../../shared/dataReplication/findProtectedItemByName.js';
import { continuationTokenOf, requireReplicationVault } from '../../shared/dataReplication/requireReplicationVault.js';
import { listProtectedItems } from '../../shared/protection/itemLookup.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `Microsoft.DataReplication` protected items: the vault's replication protected items, get and list. */
const handler = armHandler(
  async (request) => {
    const deps = appDeps();
    const vault = vaultFromRoute(request.params);
    await requireReplicationVault(deps.plane.repository, vault);
    const itemName = request.params.protectedItemName;
    if (itemName) return ok(await describeProtectedItemModel(deps, vault, (await requireProtectedItemByName(deps.plane.repository, vault, itemName)).value));
    const page = await listProtectedItems(deps.plane.repository, vault, undefined, continuationTokenOf(request));
    return listPage(request, await describeProtectedItemModels(deps, vault, page.rows.map((row) => row.value)), page.continuationToken);
  },
  { apiVersions: API_VERSIONS.dataReplication },
);

export const dataReplicationProtectedItems: ArmFunction = {
  name: 'dataReplicationProtectedItems',
  methods: ['GET'],
  route: `${DR_VAULT_ROUTE}/protectedItems/{protectedItemName?}`,
  handler,
};
