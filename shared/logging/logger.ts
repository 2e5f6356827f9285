/**
 * The app's logger: each line one JSON object (`time`, `level`, `message` and the known
 * {@link LogFields}), written to a {@link LogSink} — the Functions `InvocationContext`, so the host
 * captures it as the invocation's log. `with` makes a logger for narrower work (a job, a request)
 * that adds its fields to every line.
 */
import { format } from 'node:util';
import type { LogFields } from './logFields.js';

/** Where lines go (an `InvocationContext` fits). */
export interface LogSink {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Levels as the Functions host names them. */
export type LogLevel = 'debug' | 'information' | 'warning' | 'error';

export interface Logger {
  /** The fields every line of this logger carries. */
  readonly fields: Readonly<LogFields>;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  /** Same as `info` (the `InvocationContext.log` shape). */
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  /** A logger whose lines also carry `fields` (undefined values are ignored). */
  with(fields: LogFields): Logger;
}

/** One line: `time`, `level`, `message`, then the fields that are set. */
export function toLogLine(time: Date, level: LogLevel, message: string, fields: Readonly<LogFields>): string {
  return JSON.stringify({ time: time.toISOString(), level, message, ...fields });
}

function defined(fields: LogFields): LogFields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== ''));
}

/** A logger writing to `sink` with `fields` on every line. */
export function createLogger(sink: LogSink, fields: LogFields = {}, now: () => Date = () => new Date()): Logger {
  const own = Object.freeze(defined(fields));
  const write = (level: LogLevel, args: unknown[]): void => {
    const line = toLogLine(now(), level, format(...args), own);
    if (level === 'debug') sink.debug(line);
    else if (level === 'information') sink.info(line);
    else if (level === 'warning') sink.warn(line);
    else sink.error(line);
  };
  return {
    fields: own,
    debug: (...args) => write('debug', args),
    info: (...args) => write('information', args),
    log: (...args) => write('information', args),
    warn: (...args) => write('warning', args),
    error: (...args) => write('error', args),
    with: (more) => createLogger(sink, { ...own, ...defined(more) }, now),
  };
}
