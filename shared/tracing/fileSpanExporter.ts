/**
 * Development only: finished spans appended as JSON lines to a file (`SiteRecoveryTraceFile`) —
 * `traceId`, `spanId`, `parentSpanId`, `name`, `kind`, `attributes`, `status`, `start`, `end`,
 * `durationMs` — for tests and for reading a trace without a collector.
 */
import fs from 'node:fs';
import { SpanKind, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

type ExportCallback = Parameters<SpanExporter['export']>[1];
type ExportResult = Parameters<ExportCallback>[0];

/** ExportResultCode.SUCCESS and FAILED of @opentelemetry/core. */
const SUCCESS: ExportResult['code'] = 0;
const FAILED: ExportResult['code'] = 1;

const toMs = (time: HrTime): number => time[0] * 1000 + time[1] / 1e6;

/** A span as one line of the file. */
export function toSpanLine(span: ReadableSpan): string {
  const context = span.spanContext();
  return JSON.stringify({
    traceId: context.traceId,
    spanId: context.spanId,
    ...(span.parentSpanContext ? { parentSpanId: span.parentSpanContext.spanId } : {}),
    name: span.name,
    kind: SpanKind[span.kind],
    attributes: span.attributes,
    status: span.status,
    start: new Date(toMs(span.startTime)).toISOString(),
    end: new Date(toMs(span.endTime)).toISOString(),
    durationMs: Math.round(toMs(span.duration) * 1000) / 1000,
  });
}

export function createFileSpanExporter(file: string): SpanExporter {
  return {
    export(spans, done) {
      try {
        fs.appendFileSync(file, spans.map((span) => `${toSpanLine(span)}\n`).join(''));
        done({ code: SUCCESS });
      } catch (error) {
        done({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
}
