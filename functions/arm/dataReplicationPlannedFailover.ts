import { appDeps } from '../../shared/appDeps.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { accepted } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { DR_ITEM_ROUTE, drItemOperationResultPath, drItemOperationStatusPath } from '../../shared/dataReplication/dataReplicationIds.js';
import { admitPlannedFailover, plannedFailoverModel } from '../../shared/dataReplication/plannedFailover.js';
import { requireReplicationVault } from '../../shared/dataReplication/requireReplicationVault.js';
import { clientRequestIdOf } from '../../shared/arm/clientRequestId.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/**
 * `plannedFailover` of a `Microsoft.DataReplication` protected item: the item's planned failover,
 * answered 202 with `Location` (its result) and `Azure-AsyncOperation` (its status).
 */
const handler = armHandler(
  async (request) => {
    const deps = appDeps();
    const vault = vaultFromRoute(request.params);
    await requireReplicationVault(deps.plane.repository, vault);
    const clientRequestId = clientRequestIdOf(request.headers);
    const { job, itemName } = await admitPlannedFailover({
      deps,
      vault,
      itemName: request.params.protectedItemName ?? '',
      body: request.body,
      ...(clientRequestId ? { clientRequestId } : {}),
    });
    return accepted(request, { statusPath: drItemOperationStatusPath(vault, itemName, job.jobId), locationPath: drItemOperationResultPath(vault, itemName, job.jobId) });
  },
  { apiVersions: API_VERSIONS.dataReplication },
);

export const dataReplicationPlannedFailover: ArmFunction = {
  name: 'dataReplicationPlannedFailover',
  methods: ['POST'],
  route: `${DR_ITEM_ROUTE}/plannedFailover`,
  handler,
  operations: { POST: { summary: 'Plans a failover of a Microsoft.DataReplication protected item.', requestBody: plannedFailoverModel, responses: [202] } },
};
