import { appDeps } from '../../shared/appDeps.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { DR_ITEM_ROUTE } from '../../shared/dataReplication/dataReplicationIds.js';
import { requireProtectedItemByName } from '../../shared/dataReplication/findProtectedItemByName.js';
import { getRecoveryPointModel, listRecoveryPointModels } from '../../shared/dataReplication/recoveryPointModels.js';
import { continuationTokenOf, requireReplicationVault } from '../../shared/dataReplication/requireReplicationVault.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `Microsoft.DataReplication` recovery points of a protected item: get and list, newest first. */
const handler = armHandler(
  async (request) => {
    const deps = appDeps();
    const vault = vaultFromRoute(request.params);
    await requireReplicationVault(deps.plane.repository, vault);
    const item = (await requireProtectedItemByName(deps.plane.repository, vault, request.params.protectedItemName ?? '')).value;
    const pointName = request.params.recoveryPointName;
    if (pointName) return ok(await getRecoveryPointModel(deps, vault, item, pointName));
    const page = await listRecoveryPointModels(deps, vault, item, continuationTokenOf(request));
    return listPage(request, page.values, page.continuationToken);
  },
  { apiVersions: API_VERSIONS.dataReplication },
);

export const dataReplicationRecoveryPoints: ArmFunction = {
  name: 'dataReplicationRecoveryPoints',
  methods: ['GET'],
  route: `${DR_ITEM_ROUTE}/recoveryPoints/{recoveryPointName?}`,
  handler,
};
