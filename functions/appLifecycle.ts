/**
 * App-level hooks: tracing starts before the first invocation (`tracingSettings` reads
 * `APPLICATIONINSIGHTS_CONNECTION_STRING` and `SiteRecoveryTraceFile`) and is flushed and stopped
 * when the host stops the app.
 */
import { app } from '@azure/functions';
import { startTracing, tracingSettings, type Tracing } from '../shared/tracing/startTracing.js';

let tracing: Tracing | undefined;

app.hook.appStart(async () => {
  tracing = await startTracing(tracingSettings());
});

app.hook.appTerminate(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});
