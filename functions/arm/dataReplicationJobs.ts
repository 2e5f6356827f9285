import { appDeps } from '../../shared/appDeps.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { validateName } from '../../shared/arm/validateName.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { DR_VAULT_ROUTE } from '../../shared/dataReplication/dataReplicationIds.js';
import { continuationTokenOf, requireReplicationVault } from '../../shared/dataReplication/requireReplicationVault.js';
import { toJobModel } from '../../shared/dataReplication/toJobModel.js';
import { getJob, listJobs } from '../../shared/jobs/jobActions.js';
import { jobKinds } from '../../shared/jobs/jobKinds.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/**
 * `Microsoft.DataReplication` jobs: the vault's jobs (those `replicationJobs` shows), get and list.
 * `odataOptions` (or `$filter`) filters as `replicationJobs`' `$filter` does.
 */
const handler = armHandler(
  async (request) => {
    const { plane } = appDeps();
    const vault = vaultFromRoute(request.params);
    await requireReplicationVault(plane.repository, vault);
    const jobName = request.params.jobName;
    if (jobName) return ok(toJobModel(await getJob(plane, vault, validateName('jobName', jobName)), jobKinds));
    const filter = request.query.get('odataOptions') ?? request.query.get('$filter');
    const page = await listJobs(plane, vault, filter, continuationTokenOf(request));
    return listPage(request, page.jobs.map((job) => toJobModel(job, jobKinds)), page.continuationToken);
  },
  { apiVersions: API_VERSIONS.dataReplication },
);

export const dataReplicationJobs: ArmFunction = {
  name: 'dataReplicationJobs',
  methods: ['GET'],
  route: `${DR_VAULT_ROUTE}/jobs/{jobName?}`,
  handler,
};
