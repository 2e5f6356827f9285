/**
 * The host's own log: information and debug on stdout, warnings and errors on stderr, each line
 * in the host's {@link LogFormat} (text on a terminal, JSON lines otherwise). Debug lines appear only
 * when `logging.logLevel.default` is Debug or Trace.
 */
import { formatLogLine, type LogRecord } from './formatLogLine.js';
import { isLogEnabled } from './isLogEnabled.js';
import type { LogFormat } from './logFormat.js';

/** What a line says besides its message (a host line without any is category `Host`). */
export type LogContext = Partial<Omit<LogRecord, 'message'>>;

export interface HostLog {
  info(msg: string, context?: LogContext): void;
  warn(msg: string, context?: LogContext): void;
  error(msg: string, context?: LogContext): void;
  debug(msg: string, context?: LogContext): void;
}

/** A console-backed {@link HostLog} filtered by host.json `logging.logLevel` (category `Host`). */
export function createHostLog(logLevel: Record<string, string> = {}, format: LogFormat = 'text'): HostLog {
  const line = (level: string, message: string, context: LogContext = {}): string =>
    `${formatLogLine({ category: 'Host', ...context, time: context.time ?? new Date().toISOString(), level: context.level ?? level, message }, format)}\n`;
  const debugOn = isLogEnabled(logLevel, 'Host', 'debug');
  return {
    info: (msg, context) => void process.stdout.write(line('information', msg, context)),
    warn: (msg, context) => void process.stderr.write(line('warning', msg, context)),
    error: (msg, context) => void process.stderr.write(line('error', msg, context)),
    debug: (msg, context) => {
      if (debugOn) process.stdout.write(line('debug', msg, context));
    },
  };
}
