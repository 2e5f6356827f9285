/**
 * Runs work in a span of the app's tracer (OpenTelemetry's API: a no-op until a tracer provider is
 * registered at app start, so tracing that is off costs next to nothing). The span is active while
 * the work runs, so the spans and queue messages it starts descend from it; a thrown error marks it
 * failed and passes on.
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type AttributeValue, type Context, type Span } from '@opentelemetry/api';
import { redactSecrets } from '../errors/redactSecrets.js';
import { ensureError } from '../errors/ensureError.js';

/** The instrumentation scope of the app's spans. */
export const TRACER_NAME = 'site-recovery-functions';

export { SpanKind };

export interface WithSpanOptions {
  kind?: SpanKind;
  /** Attributes; undefined values are left out. */
  attributes?: Record<string, AttributeValue | undefined>;
  /** The parent (default: the active context). */
  parent?: Context;
}

/** The attributes that are set. */
export function definedAttributes(attributes: Record<string, AttributeValue | undefined>): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
}

export async function withSpan<T>(name: string, options: WithSpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  const spanOptions = { kind: options.kind ?? SpanKind.INTERNAL, attributes: definedAttributes(options.attributes ?? {}) };
  return tracer.startActiveSpan(name, spanOptions, options.parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (thrown) {
      // Spans leave the process (Application Insights, a trace file): what they say of an error is redacted, as logs are.
      const error = ensureError(thrown);
      const message = redactSecrets(error.message);
      span.recordException({ name: error.name, message, ...(error.stack ? { stack: redactSecrets(error.stack) } : {}) });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      throw thrown;
    } finally {
      span.end();
    }
  });
}
