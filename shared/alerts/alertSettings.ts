/**
 * `replicationAlertSettings`: who is told of the vault's events. ASR's body (`sendToOwners`,
 * `customEmailAddresses`, `locale`) is kept and shown; the service sends no e-mail. What it does
 * deliver, besides the events queue, is a webhook: `webhookUrl` (a host allowed in
 * `AlertWebhookHosts`) is POSTed each event whose severity is in `severities` (default Critical and
 * Warning), with retries; `deliveries` shows the latest outcomes. Settings are written at once (200).
 */
import { z } from 'zod';
import { armResource, type ArmResource } from '../arm/armResource.js';
import { checkOutboundUrl } from '../arm/outboundUrl.js';
import { parseInput } from '../arm/parseInput.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { EVENT_SEVERITIES } from '../events/eventModel.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { AlertDelivery } from './alertDeliveries.js';
import { ALERT_SETTING_ROW, type AlertSettingRecord } from './alertSettingRecord.js';

const ALERT_SETTING_TYPE = 'Microsoft.RecoveryServices/vaults/replicationAlertSettings';

/** The body of `PUT …/replicationAlertSettings/{setting}`. */
export const putAlertSettingBody = z.object({
  properties: z.object({
    sendToOwners: z.enum(['Send', 'DoNotSend'], "must be 'Send' or 'DoNotSend'").optional(),
    customEmailAddresses: z.array(z.email('must be an e-mail address')).max(20).optional(),
    locale: z.string().max(20).optional(),
    webhookUrl: z.string().max(2048).optional(),
    severities: z.array(z.enum(EVENT_SEVERITIES, `must each be one of ${EVENT_SEVERITIES.join(', ')}`)).min(1).optional(),
  }),
});

export function toAlertSettingResource(vault: VaultRef, setting: AlertSettingRecord, deliveries: readonly AlertDelivery[] = []): ArmResource {
  const { name, ...properties } = setting;
  return armResource(vaultChildId(vault, ['replicationAlertSettings', name]), name, ALERT_SETTING_TYPE, { ...properties, deliveries });
}

export async function getAlertSetting(repository: ControlPlaneRepository, vault: VaultRef, name: string): Promise<AlertSettingRecord> {
  const row = await repository.get<AlertSettingRecord>(vaultPartition(vault), ALERT_SETTING_ROW, name.toLowerCase());
  if (!row) throw new HttpError(404, 'ResourceNotFound', `The alert setting '${name}' was not found in vault '${vault.vaultName}'.`, undefined, 'alertSettingName');
  return row.value;
}

export async function listAlertSettings(repository: ControlPlaneRepository, vault: VaultRef): Promise<AlertSettingRecord[]> {
  const settings: AlertSettingRecord[] = [];
  for await (const row of repository.listAll<AlertSettingRecord>(vaultPartition(vault), ALERT_SETTING_ROW)) settings.push(row.value);
  return settings;
}

/** Creates or replaces a setting from ASR's `ConfigureAlertRequest` (fields not named keep their value). */
export async function putAlertSetting(repository: ControlPlaneRepository, vault: VaultRef, rawName: string, body: unknown, webhookHosts: readonly string[]): Promise<AlertSettingRecord> {
  const name = validateName('alertSettingName', rawName);
  const input = parseInput(putAlertSettingBody, body).properties;
  if (input.webhookUrl) checkOutboundUrl(input.webhookUrl, 'properties.webhookUrl', webhookHosts, 'AlertWebhookHosts');
  const partition = vaultPartition(vault);
  const existing = await repository.get<AlertSettingRecord>(partition, ALERT_SETTING_ROW, name.toLowerCase());
  const base: AlertSettingRecord = existing?.value ?? { name, sendToOwners: 'DoNotSend', customEmailAddresses: [], locale: '', severities: ['Critical', 'Warning'] };
  const next: AlertSettingRecord = {
    ...base,
    ...(input.sendToOwners === undefined ? {} : { sendToOwners: input.sendToOwners }),
    ...(input.customEmailAddresses === undefined ? {} : { customEmailAddresses: input.customEmailAddresses }),
    ...(input.locale === undefined ? {} : { locale: input.locale }),
    ...(input.severities === undefined ? {} : { severities: input.severities }),
    ...(input.webhookUrl === undefined ? {} : { webhookUrl: input.webhookUrl }),
  };
  if (input.webhookUrl === '') delete next.webhookUrl;
  if (existing) await repository.replace(existing, next);
  else await repository.create(partition, ALERT_SETTING_ROW, name.toLowerCase(), next);
  return next;
}
