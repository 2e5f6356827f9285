import { armHandler } from '../../shared/arm/armHandler.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { recentDeliveries } from '../../shared/alerts/alertDeliveries.js';
import { getAlertSetting, listAlertSettings, putAlertSetting, putAlertSettingBody, toAlertSettingResource } from '../../shared/alerts/alertSettings.js';
import { requireVault } from '../../shared/infra/vaults.js';

/** `replicationAlertSettings`: create or change (PUT, at once), get (with the latest webhook deliveries), list. */
const handler = armHandler(async (request) => {
  const { config, plane } = appDeps();
  const { repository } = plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const name = request.params.alertSettingName;
  if (!name) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const settings = await listAlertSettings(repository, vault);
    return listPage(request, await Promise.all(settings.map(async (setting) => toAlertSettingResource(vault, setting, await recentDeliveries(repository, vault, setting.name)))));
  }
  const setting = request.method === 'PUT' ? await putAlertSetting(repository, vault, name, request.body, config.automation.webhookHosts) : await getAlertSetting(repository, vault, name);
  return ok(toAlertSettingResource(vault, setting, await recentDeliveries(repository, vault, setting.name)));
});

export const replicationAlertSettings: ArmFunction = {
  name: 'replicationAlertSettings',
  methods: ['GET', 'PUT'],
  route: `${VAULT_ROUTE}/replicationAlertSettings/{alertSettingName?}`,
  handler,
  operations: {
    GET: { summary: 'Lists the alert settings of a vault, or gets one with its latest webhook deliveries.' },
    PUT: { summary: 'Creates or changes an alert setting.', requestBody: putAlertSettingBody },
  },
};
