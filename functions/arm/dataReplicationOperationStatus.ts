import { appDeps } from '../../shared/appDeps.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { ok } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { DR_ITEM_ROUTE } from '../../shared/dataReplication/dataReplicationIds.js';
import { requireProtectedItemByName } from '../../shared/dataReplication/findProtectedItemByName.js';
import { getItemOperationStatus } from '../../shared/dataReplication/itemOperations.js';
import { requireReplicationVault } from '../../shared/dataReplication/requireReplicationVault.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** Status of an operation on a `Microsoft.DataReplication` protected item (the `Azure-AsyncOperation` URL). */
const handler = armHandler(
  async (request) => {
    const { plane } = appDeps();
    const vault = vaultFromRoute(request.params);
    await requireReplicationVault(plane.repository, vault);
    const item = (await requireProtectedItemByName(plane.repository, vault, request.params.protectedItemName ?? '')).value;
    return ok(await getItemOperationStatus(plane, vault, item, request.params.operationId ?? ''));
  },
  { apiVersions: API_VERSIONS.dataReplication },
);

export const dataReplicationOperationStatus: ArmFunction = {
  name: 'dataReplicationOperationStatus',
  methods: ['GET'],
  route: `${DR_ITEM_ROUTE}/operations/{operationId}`,
  handler,
};
