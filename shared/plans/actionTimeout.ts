/** An action's `timeout`: an ISO 8601 duration (`PT10M`, `PT1H30M`, `PT45S`) or seconds; at most a day. Pure. */
import { HttpError } from '../errors/HttpError.js';

/** When an action names none. */
export const DEFAULT_ACTION_TIMEOUT_MS = 10 * 60_000;
const MAX_ACTION_TIMEOUT_MS = 24 * 3_600_000;

const DURATION = /^P(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)$/i;

/** The timeout in milliseconds (the default when absent); a 400 naming `field` when it cannot be read. */
export function parseActionTimeout(value: string | undefined, field: string): number {
  if (value === undefined || value === '') return DEFAULT_ACTION_TIMEOUT_MS;
  let ms: number | undefined;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  const match = DURATION.exec(value);
  if (match) ms = (Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0)) * 1000;
  if (ms === undefined || ms <= 0 || ms > MAX_ACTION_TIMEOUT_MS) {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': must be a duration such as 'PT10M' (or seconds), more than zero and at most a day.`, undefined, field);
  }
  return ms;
}
