import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, noContent, ok, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { createPlanBody, updatePlanBody } from '../../shared/plans/planInput.js';
import { createPlan, deletePlan, describePlan, listPlans, requirePlan, updatePlan } from '../../shared/plans/plans.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationRecoveryPlans`: create (PUT, LRO), update (PATCH, LRO), get, list, delete (LRO). */
const handler = armHandler(async (request) => {
  const { plane, config } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const planName = request.params.recoveryPlanName;
  if (!planName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const page = await listPlans(plane.repository, vault, skipToken(request));
    return listPage(request, await Promise.all(page.rows.map((row) => describePlan(plane, vault, row.value))), page.continuationToken);
  }
  switch (request.method) {
    case 'PUT':
      return acceptedJob(request, (await createPlan(plane, config.recoveryPlans, vault, planName, request.body)).job);
    case 'PATCH':
      return acceptedJob(request, (await updatePlan(plane, config.recoveryPlans, vault, planName, request.body)).job);
    case 'DELETE': {
      const job = await deletePlan(plane, vault, planName);
      return job ? acceptedJob(request, job) : noContent();
    }
    default:
      return ok(await describePlan(plane, vault, (await requirePlan(plane.repository, vault, planName)).value));
  }
});

export const replicationRecoveryPlans: ArmFunction = {
  name: 'replicationRecoveryPlans',
  methods: ['GET', 'PUT', 'PATCH', 'DELETE'],
  route: `${VAULT_ROUTE}/replicationRecoveryPlans/{recoveryPlanName?}`,
  handler,
  operations: {
    GET: { summary: 'Lists the recovery plans of a vault, or gets one.' },
    PUT: { summary: 'Creates a recovery plan.', requestBody: createPlanBody, responses: [202] },
    PATCH: { summary: "Updates a recovery plan's groups.", requestBody: updatePlanBody, responses: [202] },
    DELETE: { summary: 'Deletes a recovery plan.', responses: [202, 204] },
  },
};
