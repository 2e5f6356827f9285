/**
 * The host's own log: timestamped lines, information and debug on stdout, warnings and errors on
 * stderr. Debug lines appear only when `logging.logLevel.default` is Debug or Trace.
 */
import { isLogEnabled } from './isLogEnabled.js';

export interface HostLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

/** A console-backed {@link HostLog} filtered by host.json `logging.logLevel` (category `Host`). */
export function createHostLog(logLevel: Record<string, string> = {}): HostLog {
  const line = (msg: string): string => `[${new Date().toISOString()}] ${msg}\n`;
  const debugOn = isLogEnabled(logLevel, 'Host', 'debug');
  return {
    info: (msg) => void process.stdout.write(line(msg)),
    warn: (msg) => void process.stderr.write(line(msg)),
    error: (msg) => void process.stderr.write(line(msg)),
    debug: (msg) => {
      if (debugOn) process.stdout.write(line(msg));
    },
  };
}
