/**
 * The tracing bootstrap, run once at app start (`functions/appLifecycle.ts`): the only module that
 * sets up the OpenTelemetry SDK. With `APPLICATIONINSIGHTS_CONNECTION_STRING` set, spans go to
 * Application Insights through the Azure Monitor distro; with `SiteRecoveryTraceFile` set
 * (development), finished spans are also appended to that file; with neither, nothing is
 * registered and the app's spans are OpenTelemetry's no-ops.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createFileSpanExporter } from './fileSpanExporter.js';

export interface TracingSettings {
  /** Application Insights' connection string. */
  connectionString?: string;
  /** File the finished spans are appended to (development and tests). */
  traceFile?: string;
}

export function tracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  const traceFile = env.SiteRecoveryTraceFile?.trim();
  return { ...(connectionString ? { connectionString } : {}), ...(traceFile ? { traceFile } : {}) };
}

/** What was started; `shutdown` flushes and stops it. */
export interface Tracing {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

export async function startTracing(settings: TracingSettings): Promise<Tracing> {
  const processors: SpanProcessor[] = settings.traceFile ? [new SimpleSpanProcessor(createFileSpanExporter(settings.traceFile))] : [];
  if (settings.connectionString) {
    // Loaded only when used: the distro brings instrumentations and exporters a disabled app never needs.
    const monitor = await import('@azure/monitor-opentelemetry');
    monitor.useAzureMonitor({ azureMonitorExporterOptions: { connectionString: settings.connectionString }, spanProcessors: processors });
    return { enabled: true, shutdown: () => monitor.shutdownAzureMonitor() };
  }
  if (processors.length === 0) return { enabled: false, shutdown: () => Promise.resolve() };
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const provider = new BasicTracerProvider({ spanProcessors: processors });
  trace.setGlobalTracerProvider(provider);
  return {
    enabled: true,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
