import { appDeps } from '../../shared/appDeps.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { clientRequestIdOf } from '../../shared/arm/clientRequestId.js';
import { findItemOperation, itemOperationNames } from '../../shared/protection/protectedItemOperations.js';
import { itemRouteOf, PROTECTED_ITEM_ROUTE } from '../../shared/protection/protectedItemRoutes.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** POST operations on a protected item (`remove`, `repairReplication`, …): each answers 202 with its job. */
const handler = armHandler(async (request) => {
  const deps = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(deps.plane.repository, vault);
  const name = request.params.operation ?? '';
  const operation = findItemOperation(name);
  if (!operation) {
    throw new HttpError(404, 'OperationNotSupported', `The operation ${JSON.stringify(name)} is not supported on replication protected items; supported: ${itemOperationNames().join(', ')}.`);
  }
  const clientRequestId = clientRequestIdOf(request.headers);
  return acceptedJob(request, await operation({ deps, vault, route: itemRouteOf(request.params), body: request.body, ...(clientRequestId ? { clientRequestId } : {}) }));
});

export const protectedItemOperations: ArmFunction = {
  name: 'protectedItemOperations',
  methods: ['POST'],
  route: `${PROTECTED_ITEM_ROUTE}/{operation}`,
  handler,
};
