import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { ok } from '../shared/arm/responses.js';
import { appDeps } from '../shared/appDeps.js';
import { acceptSiteReport } from '../shared/infra/siteInventory.js';

/**
 * A Hyper-V host reports its VMs and heartbeat. Anonymous at the Functions level: it is
 * authenticated by the vault's registration key in `x-ms-registration-key` (401 otherwise).
 */
export const hyperVSiteReport = armHandler(
  async (request) => {
    const result = await acceptSiteReport(appDeps().plane.repository, request.body, request.headers.get('x-ms-registration-key'));
    return ok({ fabricName: result.fabricName, hostName: result.hostName, vmCount: result.vmCount, reportedAt: result.reportedAt });
  },
  { apiVersions: false },
);

app.http('hyperVSiteReport', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'hyperVSites/report',
  handler: hyperVSiteReport,
});
