import { appDeps } from '../../shared/appDeps.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { accepted, ok } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { DR_ITEM_ROUTE, drItemOperationResultPath, drItemOperationStatusPath } from '../../shared/dataReplication/dataReplicationIds.js';
import { requireProtectedItemByName } from '../../shared/dataReplication/findProtectedItemByName.js';
import { getPlannedFailoverResult } from '../../shared/dataReplication/itemOperations.js';
import { requireReplicationVault } from '../../shared/dataReplication/requireReplicationVault.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/**
 * Result of a planned failover of a `Microsoft.DataReplication` protected item (the `Location` URL):
 * 202 while it runs, then 200 with the `PlannedFailoverModel`, or its error.
 */
const handler = armHandler(
  async (request) => {
    const { plane } = appDeps();
    const vault = vaultFromRoute(request.params);
    await requireReplicationVault(plane.repository, vault);
    const item = (await requireProtectedItemByName(plane.repository, vault, request.params.protectedItemName ?? '')).value;
    const operationId = request.params.operationId ?? '';
    const result = await getPlannedFailoverResult(plane, vault, item, operationId);
    if (result) return ok(result);
    return accepted(request, { statusPath: drItemOperationStatusPath(vault, item.name, operationId), locationPath: drItemOperationResultPath(vault, item.name, operationId) });
  },
  { apiVersions: API_VERSIONS.dataReplication },
);

export const dataReplicationOperationResults: ArmFunction = {
  name: 'dataReplicationOperationResults',
  methods: ['GET'],
  route: `${DR_ITEM_ROUTE}/operationResults/{operationId}`,
  handler,
  operations: { GET: { summary: "The result of a planned failover: 202 while it runs, then its PlannedFailoverModel.", responses: [200, 202] } },
};
