/**
 * Webhook deliveries of events: each event of a vault whose severity an alert setting with a
 * `webhookUrl` takes is queued on `site-recovery-alert-deliveries` and POSTed (the event as
 * `replicationEvents` serves it; 2xx within 10 s, no redirects, as plan script actions are
 * called), retried up to five times with growing delays. Each delivery's outcome is recorded.
 */
import { z } from 'zod';
import type { VaultRef } from '../arm/resourceId.js';
import type { EventListener } from '../events/eventLog.js';
import { eventKeyOf, type SiteRecoveryEvent } from '../events/eventModel.js';
import { toEventResource } from '../events/eventResource.js';
import type { ScriptCaller } from '../plans/scriptCaller.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { JsonQueues } from '../storage/jsonQueues.js';
import { ALERT_SETTING_ROW, type AlertSettingRecord } from './alertSettingRecord.js';

export const ALERT_DELIVERIES_QUEUE = 'site-recovery-alert-deliveries';
const ALERT_DELIVERY_ROW = 'alertDelivery';
export const MAX_DELIVERY_ATTEMPTS = 5;
const DELIVERY_TIMEOUT_MS = 10_000;

/** One event's delivery to one setting's webhook, as `deliveries` shows it. */
export interface AlertDelivery {
  eventName: string;
  severity: string;
  description: string;
  outcome: 'Pending' | 'Retrying' | 'Delivered' | 'Failed';
  attempts: number;
  lastAttemptTime?: string;
  /** Why the last attempt failed. */
  problem?: string;
}

export const alertDeliveryMessage = z.object({
  vault: z.object({ subscriptionId: z.string(), resourceGroupName: z.string(), vaultName: z.string() }),
  settingName: z.string(),
  eventName: z.string(),
  attempt: z.number().int().min(1),
});

export type AlertDeliveryMessage = z.infer<typeof alertDeliveryMessage>;

const deliveryName = (settingName: string, eventName: string): string[] => [settingName.toLowerCase(), eventKeyOf(eventName) ?? eventName];

/** The listener that queues a delivery of each event to every setting that takes it. */
export function alertDispatch(repository: ControlPlaneRepository, queues: JsonQueues): EventListener {
  return async (vault: VaultRef, event: SiteRecoveryEvent) => {
    for await (const row of repository.listAll<AlertSettingRecord>(vaultPartition(vault), ALERT_SETTING_ROW)) {
      const setting = row.value;
      if (!setting.webhookUrl || !setting.severities.includes(event.severity)) continue;
      const delivery: AlertDelivery = { eventName: event.name, severity: event.severity, description: event.description, outcome: 'Pending', attempts: 0 };
      await repository.upsert(vaultPartition(vault), ALERT_DELIVERY_ROW, deliveryName(setting.name, event.name), delivery);
      const message: AlertDeliveryMessage = { vault, settingName: setting.name, eventName: event.name, attempt: 1 };
      await queues.send(ALERT_DELIVERIES_QUEUE, message);
    }
  };
}

export interface DeliveryDeps {
  repository: ControlPlaneRepository;
  queues: JsonQueues;
  scripts: ScriptCaller;
  events: { get(vault: VaultRef, name: string): Promise<SiteRecoveryEvent | undefined> };
}

/** Makes one attempt at a delivery; a failed attempt is queued again after 2, 4, 8, 16 s, then recorded as failed. */
export async function deliverAlert(deps: DeliveryDeps, message: unknown, log: { warn(...args: unknown[]): void }): Promise<void> {
  const parsed = alertDeliveryMessage.safeParse(message);
  if (!parsed.success) {
    log.warn('Dropped a malformed alert-delivery message.');
    return;
  }
  const { vault, settingName, eventName, attempt } = parsed.data;
  const partition = vaultPartition(vault);
  const setting = (await deps.repository.get<AlertSettingRecord>(partition, ALERT_SETTING_ROW, settingName.toLowerCase()))?.value;
  const event = await deps.events.get(vault, eventName);
  if (!setting?.webhookUrl || !event) return;
  const result = await deps.scripts.call(setting.webhookUrl, toEventResource(vault, event), DELIVERY_TIMEOUT_MS);
  const last = !result.ok && attempt >= MAX_DELIVERY_ATTEMPTS;
  const delivery: AlertDelivery = {
    eventName,
    severity: event.severity,
    description: event.description,
    outcome: result.ok ? 'Delivered' : last ? 'Failed' : 'Retrying',
    attempts: attempt,
    lastAttemptTime: new Date().toISOString(),
    ...(result.problem ? { problem: result.problem } : {}),
  };
  await deps.repository.upsert(partition, ALERT_DELIVERY_ROW, deliveryName(settingName, eventName), delivery);
  if (!result.ok && !last) {
    log.warn(`The alert webhook of '${settingName}' failed for ${eventName}: ${result.problem ?? 'no answer'}; retrying.`);
    await deps.queues.sendLater(ALERT_DELIVERIES_QUEUE, { ...parsed.data, attempt: attempt + 1 }, 2 ** attempt);
  }
}

/** The setting's latest deliveries, newest first. */
export async function recentDeliveries(repository: ControlPlaneRepository, vault: VaultRef, settingName: string, limit = 20): Promise<AlertDelivery[]> {
  const page = await repository.list<AlertDelivery>(vaultPartition(vault), ALERT_DELIVERY_ROW, { prefix: [settingName.toLowerCase()], pageSize: limit });
  return page.rows.map((row) => row.value);
}
