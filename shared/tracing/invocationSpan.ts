/** A queue function's invocation as a consumer span named after the function (for queues whose messages carry no trace). */
import type { InvocationContext } from '@azure/functions';
import { SpanKind, withSpan } from './withSpan.js';

export function invocationSpan<T>(context: InvocationContext, work: () => Promise<T>): Promise<T> {
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? Number.NaN);
  return withSpan(
    context.functionName,
    {
      kind: SpanKind.CONSUMER,
      attributes: { 'faas.invocation_id': context.invocationId, 'messaging.message.delivery_count': Number.isFinite(dequeueCount) ? dequeueCount : undefined },
    },
    work,
  );
}
