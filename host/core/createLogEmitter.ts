/**
 * Routes worker logs (library system logs and user `context.log` calls) through the app's `log`
 * hooks and host.json `logging.logLevel` to the host log. Hook edits of level and message apply to
 * user logs only, as in the worker. A user line that is one JSON object (the app's structured log)
 * is printed in the host's format with its fields.
 */
import type { HookCallback } from './coreModule.js';
import { isLogEnabled } from './isLogEnabled.js';
import type { HostLog, LogContext } from './log.js';
import { parseAppLogLine } from './parseAppLogLine.js';
import type { RpcLogCategory, RpcLogLevel } from './types.js';

export interface LogEntry {
  level: RpcLogLevel;
  category: RpcLogCategory;
  message: string;
  /** The function the log belongs to, if any (category `Function.<name>[.User]`). */
  functionName?: string;
  /** The invocation the log belongs to, if any. */
  invocationId?: string;
  /** The library's InvocationContext, passed to log hooks. */
  invocationContext?: unknown;
}

export type EmitLog = (entry: LogEntry) => void;

/** The log function of one loaded app; levels below the configured ones are dropped after the hooks ran. */
export function createLogEmitter(opts: {
  logHooks: HookCallback[];
  appHookData: Record<string, unknown>;
  logLevel: Record<string, string>;
  log: HostLog;
}): EmitLog {
  return (entry) => {
    const hookContext: Record<string, unknown> = {
      level: entry.level,
      message: entry.message,
      category: entry.category,
      invocationContext: entry.invocationContext,
      hookData: {},
      appHookData: opts.appHookData,
    };
    for (const hook of opts.logHooks) {
      try {
        hook(hookContext);
      } catch (error) {
        opts.log.error(`A log hook failed: ${(error as Error)?.message ?? String(error)}`);
      }
    }
    const isUser = entry.category === 'user';
    const level = isUser ? (hookContext.level as RpcLogLevel) : entry.level;
    const message = isUser ? String(hookContext.message) : entry.message;
    const category = entry.functionName
      ? `Function.${entry.functionName}${isUser ? '.User' : ''}`
      : isUser ? 'Function.User' : 'Host.Function';
    if (!isLogEnabled(opts.logLevel, category, level)) return;
    const structured = isUser ? parseAppLogLine(message) : undefined;
    const context: LogContext = {
      level,
      category,
      ...(entry.functionName === undefined ? {} : { functionName: entry.functionName }),
      ...(entry.invocationId === undefined ? {} : { invocationId: entry.invocationId }),
      ...(structured?.time === undefined ? {} : { time: structured.time }),
      ...(structured && Object.keys(structured.fields).length > 0 ? { fields: structured.fields } : {}),
    };
    const text = structured?.message ?? message;
    if (level === 'error' || level === 'critical') opts.log.error(text, context);
    else if (level === 'warning') opts.log.warn(text, context);
    else opts.log.info(text, context);
  };
}
