import { armHandler } from '../../shared/arm/armHandler.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { clientRequestIdOf } from '../../shared/arm/clientRequestId.js';
import { admitPlanOperation, PLAN_OPERATION_ROUTES } from '../../shared/plans/planCommands.js';
import { planBodySchema } from '../../shared/plans/planInputs.js';
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
  // One entry per operation of `PLAN_OPERATION_ROUTES`, named as the official client sends it; `admitPlanOperation` reads a missing body as `{}`.
  operations: {
    POST: {
      actions: {
        testFailover: { summary: "Test-fails over the plan's VMs group by group.", requestBody: planBodySchema('TestFailover'), missingBodyAs: {}, responses: [202] },
        testFailoverCleanup: { summary: "Deletes the test VMs of the plan's test failover.", requestBody: planBodySchema('TestFailoverCleanup'), missingBodyAs: {}, responses: [202] },
        plannedFailover: { summary: "Fails the plan's VMs over without data loss, group by group.", requestBody: planBodySchema('PlannedFailover'), missingBodyAs: {}, responses: [202] },
        unplannedFailover: { summary: "Fails the plan's VMs over to a recovery point, group by group.", requestBody: planBodySchema('UnplannedFailover'), missingBodyAs: {}, responses: [202] },
        failoverCommit: { summary: "Commits the failover of the plan's VMs.", requestBody: planBodySchema('Commit'), missingBodyAs: {}, responses: [202] },
        failoverCancel: { summary: "Undoes the uncommitted failover of the plan's VMs.", requestBody: planBodySchema('CancelFailover'), missingBodyAs: {}, responses: [202] },
        reProtect: { summary: "Reverses replication of the plan's VMs.", requestBody: planBodySchema('ReverseReplicate'), missingBodyAs: {}, responses: [202] },
      },
    },
  },
};
