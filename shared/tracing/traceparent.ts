/**
 * W3C Trace Context (`traceparent`) in the app's queue messages: a message sent while a span is
 * active carries it, and the step that runs the message continues that trace — so an ARM request,
 * its job's steps and their effects are one trace. Messages without it (older ones, or sent with
 * tracing off) start a trace of their own; a malformed value is ignored, never a reason to drop the
 * message.
 */
import { context, ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { z } from 'zod';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE = /^0+$/;

/** An optional `traceparent` field of a message schema: absent or malformed reads as `undefined`. */
export const traceparentField = z.string().regex(TRACEPARENT).optional().catch(undefined);

/** The `traceparent` of the active span, when there is a valid one. */
export function currentTraceparent(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${(spanContext.traceFlags & TraceFlags.SAMPLED ? 1 : 0).toString(16).padStart(2, '0')}`;
}

/** The message with the active span's `traceparent` (unless it has one or there is none). */
export function withTraceparent<T extends object>(message: T): T | (T & { traceparent: string }) {
  if ('traceparent' in message && message.traceparent !== undefined) return message;
  const traceparent = currentTraceparent();
  return traceparent ? { ...message, traceparent } : message;
}

/** The context a message's step runs in: the remote parent its `traceparent` names, else `fallback`. */
export function contextFromTraceparent(traceparent: string | null | undefined, fallback: Context = context.active()): Context {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match || INVALID_TRACE.test(match[1]!) || INVALID_TRACE.test(match[2]!)) return fallback;
  return trace.setSpanContext(fallback, { traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED, isRemote: true });
}

/** Runs `work` outside any trace: what it sends starts a trace of its own (a replication chain's next cycle). */
export function outsideTrace<T>(work: () => Promise<T>): Promise<T> {
  return context.with(ROOT_CONTEXT, work);
}
