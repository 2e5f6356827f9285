/** The logger of one Functions invocation: its lines carry the invocation id and function name. */
import type { InvocationContext } from '@azure/functions';
import { createLogger, type Logger } from './logger.js';

export function invocationLogger(context: InvocationContext, now?: () => Date): Logger {
  return createLogger(context, { invocationId: context.invocationId, function: context.functionName }, now);
}
