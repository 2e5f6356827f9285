/**
 * A Site Recovery event as ASR's `replicationEvents` serve it (`EventProperties`), as stored in
 * the vault's partition. Pure.
 */
import { randomUUID } from 'node:crypto';

/** Severities, most severe first. */
export const EVENT_SEVERITIES = ['Critical', 'Warning', 'Information', 'OK'] as const;
export type EventSeverity = (typeof EVENT_SEVERITIES)[number];

/** What an event is about (`eventType`). */
export type EventType = 'JobStatus' | 'VmHealth' | 'ServerHealth' | 'TestFailoverOverdue' | 'CommandRefused' | 'DrillReport';

/** A health error an event carries (`HealthError` in ASR's shape, the fields events show). */
export interface EventHealthError {
  errorCode: string;
  errorMessage: string;
  possibleCauses?: string;
  recommendedAction?: string;
}

/** What a caller says about an event; `recordEvent` adds its name, code and time. */
export interface EventDraft {
  eventType: EventType;
  severity: EventSeverity;
  description: string;
  affectedObjectFriendlyName?: string;
  /** The id of the resource the event concerns (an item, a job, a fabric, a plan). */
  affectedObjectCorrelationId?: string;
  fabricId?: string;
  /** `eventSpecificDetails` beyond its `instanceType` (the event type). */
  details?: Record<string, unknown>;
  healthErrors?: EventHealthError[];
}

export interface SiteRecoveryEvent {
  /** `{eventType}Event;{key}`: the key orders events newest first. */
  name: string;
  eventCode: string;
  eventType: EventType;
  description: string;
  severity: EventSeverity;
  timeOfOccurrence: string;
  affectedObjectFriendlyName?: string;
  affectedObjectCorrelationId?: string;
  fabricId?: string;
  providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' };
  eventSpecificDetails: { instanceType: EventType } & Record<string, unknown>;
  healthErrors: EventHealthError[];
}

/** Milliseconds up to which row keys sort newest first (year 2286). */
const KEY_EPOCH = 9_999_999_999_999;

/** The row key of an event at `time`: newer events sort first. */
export function eventKey(time: Date, id: string = randomUUID()): string {
  return `${String(KEY_EPOCH - time.getTime()).padStart(13, '0')}_${id}`;
}

/** The row key of an event from its name (`undefined` when the name is not an event's). */
export function eventKeyOf(name: string): string | undefined {
  const key = name.slice(name.indexOf(';') + 1);
  return name.includes(';') && /^\d{13}_[0-9a-f-]{36}$/.test(key) ? key : undefined;
}

/** The event a draft becomes at `time`. */
export function toEvent(draft: EventDraft, time: Date, id: string = randomUUID()): SiteRecoveryEvent {
  return {
    name: `${draft.eventType}Event;${eventKey(time, id)}`,
    eventCode: id,
    eventType: draft.eventType,
    description: draft.description,
    severity: draft.severity,
    timeOfOccurrence: time.toISOString(),
    ...(draft.affectedObjectFriendlyName === undefined ? {} : { affectedObjectFriendlyName: draft.affectedObjectFriendlyName }),
    ...(draft.affectedObjectCorrelationId === undefined ? {} : { affectedObjectCorrelationId: draft.affectedObjectCorrelationId }),
    ...(draft.fabricId === undefined ? {} : { fabricId: draft.fabricId }),
    providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' },
    eventSpecificDetails: { instanceType: draft.eventType, ...(draft.details ?? {}) },
    healthErrors: draft.healthErrors ?? [],
  };
}
