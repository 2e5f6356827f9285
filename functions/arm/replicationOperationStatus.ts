import { armHandler } from '../../shared/arm/armHandler.js';
import { ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { getOperationStatus } from '../../shared/jobs/operationStatus.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** Status of a long-running operation (the `Azure-AsyncOperation` URL the clients poll). */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  return ok(await getOperationStatus(plane, vault, request.params.operationId ?? ''));
});

export const replicationOperationStatus: ArmFunction = {
  name: 'replicationOperationStatus',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationOperationStatus/{operationId}`,
  handler,
};
