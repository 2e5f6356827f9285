import { parseODataFilter, type FilterField } from '../arm/odataFilter.js';
import type { SiteRecoveryEvent } from './eventModel.js';

/** The `replicationEvents` `$filter` fields. */
const FIELDS: Record<string, FilterField<SiteRecoveryEvent>> = {
  severity: { read: (event) => event.severity },
  eventtype: { read: (event) => event.eventType },
  eventcode: { read: (event) => event.eventCode },
  affectedobjectfriendlyname: { read: (event) => event.affectedObjectFriendlyName },
  affectedobjectcorrelationid: { read: (event) => event.affectedObjectCorrelationId },
  fabricid: { read: (event) => event.fabricId },
  timeofoccurrence: { read: (event) => event.timeOfOccurrence, time: true },
  starttime: { read: (event) => event.timeOfOccurrence, time: true, eq: { operator: 'ge' } },
  endtime: { read: (event) => event.timeOfOccurrence, time: true, eq: { operator: 'le' } },
};

/**
 * Parses a `replicationEvents` `$filter`: severity, eventType, eventCode, the affected object,
 * fabricId, and time (`timeOfOccurrence` with any operator; `startTime eq t` / `endTime eq t` for
 * a window, as jobs read them).
 */
export function parseEventFilter(filter: string | null | undefined): (event: SiteRecoveryEvent) => boolean {
  return parseODataFilter(filter, FIELDS);
}
