/**
 * The timer schedule monitor's status blobs (webjobs `StorageScheduleMonitor`):
 * `azure-webjobs-hosts/timers/{hostId}/Host.Functions.{name}/status`, JSON `{Last, Next, LastUpdated}`.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { formatLocalIso } from './formatLocalIso.js';

/** A timer's schedule status; `null` stands for .NET's `default(DateTime)` (never). */
export interface ScheduleStatus {
  last: Date | null;
  next: Date;
  lastUpdated: Date | null;
}

/** `{Last, Next, LastUpdated}` as the status blob and TimerInfo carry it. */
export interface ScheduleStatusJson {
  Last: string;
  Next: string;
  LastUpdated: string;
}

export interface ScheduleStatusStore {
  /** The stored status, or null when there is none. */
  get(functionName: string): Promise<ScheduleStatus | null>;
  put(functionName: string, status: ScheduleStatus): Promise<void>;
}

const never = '0001-01-01T00:00:00';

const parseDate = (value: unknown): Date | null => {
  if (typeof value !== 'string' || value.startsWith('0001-01-01')) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** Serializes a status with dates in the schedule's local offset. */
export function toScheduleStatusJson(status: ScheduleStatus, timeZone?: string): ScheduleStatusJson {
  const format = (date: Date | null): string => (date ? formatLocalIso(date, timeZone) : never);
  return { Last: format(status.last), Next: format(status.next), LastUpdated: format(status.lastUpdated) };
}

export function createScheduleStatusStore(container: ContainerClient, hostId: string, timeZone?: string): ScheduleStatusStore {
  let containerReady: Promise<unknown> | undefined;
  const blob = (name: string) => container.getBlockBlobClient(`timers/${hostId}/Host.Functions.${name}/status`);
  return {
    async get(functionName) {
      let text: string;
      try {
        text = (await blob(functionName).downloadToBuffer()).toString('utf8');
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw error;
      }
      const json = JSON.parse(text) as Partial<Record<keyof ScheduleStatusJson, unknown>>;
      const next = parseDate(json.Next);
      if (!next) return null;
      return { last: parseDate(json.Last), next, lastUpdated: parseDate(json.LastUpdated) };
    },
    async put(functionName, status) {
      containerReady ??= container.createIfNotExists();
      await containerReady;
      const body = JSON.stringify(toScheduleStatusJson(status, timeZone));
      await blob(functionName).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    },
  };
}
