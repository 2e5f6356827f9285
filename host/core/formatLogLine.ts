/**
 * One log line of the local host. JSON: `time`, `level`, `message`, `category`, `function`,
 * `invocationId`, then the line's other fields (the message keeps its exact text, so a search
 * over the raw output finds it as in text). Text: `[time] [function] message` with the other
 * fields appended as `key=value`.
 */
import type { LogFormat } from './logFormat.js';

export interface LogRecord {
  time: string;
  /** `information`, `warning`, `error`, `debug`… as the Functions host names them. */
  level: string;
  message: string;
  /** `Host`, `Host.Function`, `Function.<name>`, `Function.<name>.User`… */
  category: string;
  functionName?: string;
  invocationId?: string;
  /** What the app said besides its message (job and request ids, the vault, the item). */
  fields?: Record<string, unknown>;
}

function textValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

export function formatLogLine(record: LogRecord, format: LogFormat): string {
  if (format === 'json') {
    return JSON.stringify({
      time: record.time,
      level: record.level,
      message: record.message,
      category: record.category,
      ...(record.functionName === undefined ? {} : { function: record.functionName }),
      ...(record.invocationId === undefined ? {} : { invocationId: record.invocationId }),
      ...record.fields,
    });
  }
  const prefix = record.functionName ? `[${record.functionName}] ` : '';
  const fields = Object.entries(record.fields ?? {}).map(([key, value]) => `${key}=${textValue(value)}`);
  return `[${record.time}] ${prefix}${record.message}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}`;
}
