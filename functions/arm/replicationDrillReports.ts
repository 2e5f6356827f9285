import { armHandler } from '../../shared/arm/armHandler.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';
import { listPage, ok, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { getDrillReport, listDrillReports, toDrillReportResource } from '../../shared/drills/drillReport.js';
import { requireVault } from '../../shared/infra/vaults.js';

/** `replicationDrillReports`: what each drill proved — get, list (newest first). */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const name = request.params.drillReportName;
  if (name) return ok(toDrillReportResource(vault, await getDrillReport(repository, vault, name)));
  const page = await listDrillReports(repository, vault, skipToken(request));
  return listPage(request, page.rows.map((row) => toDrillReportResource(vault, row.value)), page.continuationToken);
});

export const replicationDrillReports: ArmFunction = {
  name: 'replicationDrillReports',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationDrillReports/{drillReportName?}`,
  handler,
};
