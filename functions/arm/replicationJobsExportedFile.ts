import { armHandler } from '../../shared/arm/armHandler.js';
import { validateName } from '../../shared/arm/validateName.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** The file a `replicationJobs/export` job wrote (CSV or JSON), read through the API with the caller's credentials. */
const handler = armHandler(
  async (request) => {
    const { plane } = appDeps();
    const vault = vaultFromRoute(request.params);
    await requireVault(plane.repository, vault);
    const jobName = validateName('jobName', request.params.jobName ?? '');
    const file = await plane.exports.read(vault, jobName);
    if (!file) throw new HttpError(404, 'ResourceNotFound', `Job ${JSON.stringify(jobName)} exported no file (it is not an export job, or the vault has no such job).`);
    return { status: 200, headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="jobs-${jobName}.${file.contentType === 'application/json' ? 'json' : 'csv'}"` }, body: file.content };
  },
  { apiVersions: false },
);

export const replicationJobsExportedFile: ArmFunction = {
  name: 'replicationJobsExportedFile',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationJobs/{jobName}/exportedFile`,
  handler,
  operations: { GET: { summary: 'The file a replicationJobs/export job wrote.', produces: ['text/csv', 'application/json'] } },
};
