import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, ok, skipToken } from '../../shared/arm/responses.js';
import { validateName } from '../../shared/arm/validateName.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { getJob, listJobs } from '../../shared/jobs/jobActions.js';
import { jobKinds } from '../../shared/jobs/jobKinds.js';
import { toJobResource } from '../../shared/jobs/jobResource.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationJobs`: get, list with `$filter` (state, startTime/endTime, scenarioName, fabricId…). */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const jobName = request.params.jobName;
  if (jobName) return ok(toJobResource(await getJob(plane, vault, validateName('jobName', jobName)), jobKinds));
  const page = await listJobs(plane, vault, request.query.get('$filter'), skipToken(request));
  return listPage(request, page.jobs.map((job) => toJobResource(job, jobKinds)), page.continuationToken);
});

export const replicationJobs: ArmFunction = {
  name: 'replicationJobs',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationJobs/{jobName?}`,
  handler,
};
