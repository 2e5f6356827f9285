import { z } from 'zod';
import { armHandler } from '../../shared/arm/armHandler.js';
import { parseInput } from '../../shared/arm/parseInput.js';
import { ok } from '../../shared/arm/responses.js';
import { validateName } from '../../shared/arm/validateName.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { cancelJob, restartJob, resumeJob } from '../../shared/jobs/jobActions.js';
import { jobKinds } from '../../shared/jobs/jobKinds.js';
import { toJobResource } from '../../shared/jobs/jobResource.js';
import { appDeps } from '../../shared/appDeps.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

const resumeSchema = z.object({ properties: z.object({ comments: z.string().max(1024, 'is at most 1024 characters').optional() }).optional() }).optional();

/**
 * `replicationJobs/{job}/cancel|restart|resume`. Cancel is an LRO that completes when the job is
 * `Cancelled`; restart and resume change the job at once and return it. 409 when the job's state
 * does not allow the action.
 */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const jobName = validateName('jobName', request.params.jobName);
  switch (request.params.action?.toLowerCase()) {
    case 'cancel':
      return acceptedJob(request, await cancelJob(plane, jobKinds, vault, jobName), 'cancel');
    case 'restart':
      return ok(toJobResource(await restartJob(plane, jobKinds, vault, jobName), jobKinds));
    case 'resume': {
      const comments = parseInput(resumeSchema, request.body)?.properties?.comments;
      return ok(toJobResource(await resumeJob(plane, jobKinds, vault, jobName, comments), jobKinds));
    }
    default:
      throw new HttpError(404, 'NotFound', 'Unknown job action; use cancel, restart or resume.');
  }
});

export const replicationJobActions: ArmFunction = {
  name: 'replicationJobActions',
  methods: ['POST'],
  route: `${VAULT_ROUTE}/replicationJobs/{jobName}/{action}`,
  handler,
  operations: {
    POST: {
      actions: {
        cancel: { summary: 'Cancels a job; completes when the job is Cancelled.', responses: [202] },
        restart: { summary: 'Restarts a failed job from what is not done.' },
        resume: { summary: 'Resumes a job suspended at a manual action.', requestBody: resumeSchema },
      },
    },
  },
};
