import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, noContent, ok, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { deletePolicy, listPolicies, putPolicy, requirePolicy, toPolicyResource, updatePolicy } from '../../shared/infra/policies.js';
import { policyCreationSchema, policyUpdateSchema } from '../../shared/infra/policySchema.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationPolicies`: create (PUT, LRO), update (PATCH, LRO), get, list, delete (LRO; 409 while mapped). */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const policyName = request.params.policyName;
  if (!policyName) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const page = await listPolicies(plane.repository, vault, skipToken(request));
    return listPage(request, page.rows.map((row) => toPolicyResource(vault, row.value)), page.continuationToken);
  }
  switch (request.method) {
    case 'PUT':
      return acceptedJob(request, (await putPolicy(plane, vault, policyName, request.body)).job);
    case 'PATCH':
      return acceptedJob(request, (await updatePolicy(plane, vault, policyName, request.body)).job);
    case 'DELETE': {
      const job = await deletePolicy(plane, vault, policyName);
      return job ? acceptedJob(request, job) : noContent();
    }
    default:
      return ok(toPolicyResource(vault, (await requirePolicy(plane.repository, vault, policyName)).value));
  }
});

export const replicationPolicies: ArmFunction = {
  name: 'replicationPolicies',
  methods: ['GET', 'PUT', 'PATCH', 'DELETE'],
  route: `${VAULT_ROUTE}/replicationPolicies/{policyName?}`,
  handler,
  operations: {
    GET: { summary: 'Lists the replication policies of a vault, or gets one.' },
    PUT: { summary: 'Creates a replication policy.', requestBody: policyCreationSchema, responses: [202] },
    PATCH: { summary: 'Updates a replication policy.', requestBody: policyUpdateSchema, responses: [202] },
    DELETE: { summary: 'Deletes a replication policy (409 while mapped).', responses: [202, 204] },
  },
};
