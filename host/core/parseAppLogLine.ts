/**
 * A user log line the app wrote as one JSON object (`time`, `level`, `message`, then fields such
 * as `jobId`), taken apart so the host prints it in its own format; anything else is plain text.
 */

export interface AppLogLine {
  time?: string;
  message: string;
  /** The line's other fields (without those the host prints itself: level, function, invocation). */
  fields: Record<string, unknown>;
}

const HOST_KEYS = new Set(['time', 'level', 'message', 'category', 'function', 'invocationId']);

export function parseAppLogLine(text: string): AppLogLine | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries: Array<[string, unknown]> = Object.entries(value);
  const message = entries.find(([key]) => key === 'message')?.[1];
  if (typeof message !== 'string') return undefined;
  const time = entries.find(([key]) => key === 'time')?.[1];
  return {
    ...(typeof time === 'string' ? { time } : {}),
    message,
    fields: Object.fromEntries(entries.filter(([key]) => !HOST_KEYS.has(key))),
  };
}
