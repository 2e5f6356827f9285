import { armHandler } from '../../shared/arm/armHandler.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { clientRequestIdOf } from '../../shared/arm/clientRequestId.js';
import { admitPlanOperation, PLAN_OPERATION_ROUTES } from '../../shared/plans/planCommands.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** POST operations on a recovery plan (`testFailover`, `plannedFailover`, …): each answers 202 with its plan job. */
const handler = armHandler(async (request) => {
  const deps = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(deps.plane.repository, vault);
  const name = request.params.operation ?? '';
  const operation = Object.hasOwn(PLAN_OPERATION_ROUTES, name.toLowerCase()) ? PLAN_OPERATION_ROUTES[name.toLowerCase()] : undefined;
  if (!operation) throw new HttpError(404, 'OperationNotSupported', `The operation ${JSON.stringify(name)} is not supported on recovery plans; supported: ${Object.keys(PLAN_OPERATION_ROUTES).join(', ')}.`);
  return acceptedJob(request, await admitPlanOperation(deps, vault, request.params.recoveryPlanName ?? '', operation, request.body, clientRequestIdOf(request.headers)));
});

export const replicationRecoveryPlanOperations: ArmFunction = {
  name: 'replicationRecoveryPlanOperations',
  methods: ['POST'],
  route: `${VAULT_ROUTE}/replicationRecoveryPlans/{recoveryPlanName}/{operation}`,
  handler,
};
