import type { VaultRef } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';
import type { EventLog } from './eventLog.js';
import type { SiteRecoveryEvent } from './eventModel.js';
import { parseEventFilter } from './parseEventFilter.js';

/** One page of a vault's events (newest first) that match `filter`; a bad filter is a 400 before anything is read. */
export async function listEvents(events: EventLog, vault: VaultRef, filter: string | null | undefined, continuationToken?: string): Promise<{ events: SiteRecoveryEvent[]; continuationToken?: string }> {
  const matches = parseEventFilter(filter);
  const page = await events.list(vault, continuationToken ? { continuationToken } : {});
  const found = page.rows.map((row) => row.value).filter(matches);
  return page.continuationToken ? { events: found, continuationToken: page.continuationToken } : { events: found };
}

/** One event by name; 404 naming it when the vault has none of that name. */
export async function getEvent(events: EventLog, vault: VaultRef, name: string): Promise<SiteRecoveryEvent> {
  const event = await events.get(vault, name);
  if (!event) throw new HttpError(404, 'NotFound', `The event '${name}' was not found in vault '${vault.vaultName}'.`);
  return event;
}
