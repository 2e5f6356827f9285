/**
 * Where events go: a row in the vault's partition (served as `replicationEvents`, pruned past the
 * retention) and one JSON message on the `site-recovery-events` queue for automation to consume.
 * Listeners (alert deliveries) hear each recorded event.
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { ControlPlaneRepository, RowPage, StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { JsonQueues } from '../storage/jsonQueues.js';
import { eventKey, eventKeyOf, toEvent, type EventDraft, type SiteRecoveryEvent } from './eventModel.js';
import { toEventResource } from './eventResource.js';

/** The queue every event is published to. */
export const EVENTS_QUEUE = 'site-recovery-events';

/** Row kind of events. */
export const EVENT_ROW = 'event';

/** Hears each recorded event of a vault (after it is stored and published). */
export type EventListener = (vault: VaultRef, event: SiteRecoveryEvent) => Promise<void>;

export interface EventLog {
  /** Stores the event in the vault and publishes it; listeners hear it. */
  record(vault: VaultRef, draft: EventDraft, now?: Date): Promise<SiteRecoveryEvent>;
  /** Publishes an event that concerns no vault (a command naming none): the queue only. */
  publishUnscoped(draft: EventDraft, now?: Date): Promise<SiteRecoveryEvent>;
  get(vault: VaultRef, name: string): Promise<SiteRecoveryEvent | undefined>;
  /** Newest first. */
  list(vault: VaultRef, options?: { continuationToken?: string; pageSize?: number }): Promise<RowPage<SiteRecoveryEvent>>;
  /** Deletes the vault's events older than `before`; returns how many. */
  prune(vault: VaultRef, before: Date): Promise<number>;
}

export function createEventLog(repository: ControlPlaneRepository, queues: JsonQueues, listeners: readonly EventListener[] = []): EventLog {
  return {
    async record(vault, draft, now = new Date()) {
      const event = toEvent(draft, now);
      await repository.create(vaultPartition(vault), EVENT_ROW, eventKeyOf(event.name) ?? event.name, event);
      await queues.send(EVENTS_QUEUE, toEventResource(vault, event));
      for (const listener of listeners) await listener(vault, event);
      return event;
    },
    async publishUnscoped(draft, now = new Date()) {
      const event = toEvent(draft, now);
      await queues.send(EVENTS_QUEUE, toEventResource(undefined, event));
      return event;
    },
    async get(vault, name) {
      const key = eventKeyOf(name);
      if (!key) return undefined;
      const row = await repository.get<SiteRecoveryEvent>(vaultPartition(vault), EVENT_ROW, key);
      return row?.value.name === name ? row.value : undefined;
    },
    list: (vault, options = {}) => repository.list<SiteRecoveryEvent>(vaultPartition(vault), EVENT_ROW, options),
    async prune(vault, before) {
      // Keys sort newest first, so the old events are the tail; stop reading at none.
      const oldest = eventKey(before, '');
      const stale: StoredRow<SiteRecoveryEvent>[] = [];
      for await (const row of repository.listAll<SiteRecoveryEvent>(vaultPartition(vault), EVENT_ROW)) {
        if ((eventKeyOf(row.value.name) ?? '') > oldest) stale.push(row);
      }
      for (const row of stale) await repository.deleteRow(row).catch(() => undefined);
      return stale.length;
    },
  };
}
