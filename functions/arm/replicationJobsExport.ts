import { armHandler } from '../../shared/arm/armHandler.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { exportJobs, exportJobsBody } from '../../shared/jobs/exportJobs.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationJobs/export` (LRO): the vault's jobs matching the query, as a file the export job's details point at. */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  return acceptedJob(request, await exportJobs(plane, vault, request.body, request.baseUrl));
});

export const replicationJobsExport: ArmFunction = {
  name: 'replicationJobsExport',
  methods: ['POST'],
  route: `${VAULT_ROUTE}/replicationJobs/export`,
  handler,
  operations: { POST: { summary: "Exports the vault's jobs matching the query to a file.", requestBody: exportJobsBody, missingBodyAs: {}, responses: [202] } },
};
