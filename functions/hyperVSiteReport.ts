import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import type { DescribedRoute } from '../shared/arm/openApiDocument.js';
import { ok } from '../shared/arm/responses.js';
import { appDeps } from '../shared/appDeps.js';
import { acceptSiteReport } from '../shared/infra/siteInventory.js';
import { siteReportSchema } from '../shared/infra/siteReportSchema.js';
import { providerPath } from '../shared/providers/providerRecord.js';

/**
 * A Hyper-V host reports its VMs, networks and heartbeat; its first report registers it as a
 * provider of its site. Anonymous at the Functions level: it is authenticated by the vault's
 * registration key in `x-ms-registration-key` (401 otherwise).
 */
export const hyperVSiteReport = armHandler(
  async (request) => {
    const result = await acceptSiteReport(appDeps().plane, request.body, request.headers.get('x-ms-registration-key'));
    return ok({
      fabricName: result.fabricName,
      hostName: result.hostName,
      vmCount: result.vmCount,
      reportedAt: result.reportedAt,
      providerId: providerPath(result.vault, result.fabricName, result.providerName),
      ...(result.registrationJobId ? { registrationJobId: result.registrationJobId } : {}),
    });
  },
  { apiVersions: false },
);

/** The function as registered, and as `GET /api/openapi.json` describes it. */
export const hyperVSiteReportRoute: DescribedRoute = {
  name: 'hyperVSiteReport',
  methods: ['POST'],
  authLevel: 'anonymous',
  keyHeader: 'x-ms-registration-key',
  route: 'hyperVSites/report',
  apiVersions: hyperVSiteReport.apiVersions,
  operations: { POST: { summary: "A Hyper-V host's report: its VMs, networks and heartbeat (its first registers it as a provider).", requestBody: siteReportSchema } },
};

app.http(hyperVSiteReportRoute.name, {
  methods: [...hyperVSiteReportRoute.methods],
  authLevel: hyperVSiteReportRoute.authLevel,
  route: hyperVSiteReportRoute.route,
  handler: hyperVSiteReport,
});
