import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobStepMessageSchema } from '../../../shared/jobs/jobQueue.js';
import { replicationMessageSchema } from '../../../shared/protection/replicationQueue.js';
import { contextFromTraceparent, currentTraceparent, outsideTrace, withTraceparent } from '../../../shared/tracing/traceparent.js';
import { withSpan } from '../../../shared/tracing/withSpan.js';
import { toSpanLine } from '../../../shared/tracing/fileSpanExporter.js';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent in queue messages', () => {
  it('is optional and, when malformed, ignored without dropping the message', () => {
    const step = { type: 'jobStep', vaultKey: 'v', jobId: 'j', sequence: 1 };
    expect(jobStepMessageSchema.parse(step)).toEqual(step);
    expect(jobStepMessageSchema.parse({ ...step, traceparent: PARENT }).traceparent).toBe(PARENT);
    expect(jobStepMessageSchema.safeParse({ ...step, traceparent: 'garbage' })).toMatchObject({ success: true, data: { jobId: 'j', traceparent: undefined } });
    const chain = { type: 'replicate', vault: { subscriptionId: 's', resourceGroupName: 'rg', vaultName: 'v' }, fabricName: 'f', containerName: 'c', itemName: 'i', generation: 0, token: 't' };
    expect(replicationMessageSchema.parse(chain)).toEqual(chain);
    expect(replicationMessageSchema.parse({ ...chain, traceparent: PARENT }).traceparent).toBe(PARENT);
  });

  it('is not added when no span is active (tracing off)', async () => {
    expect(currentTraceparent()).toBeUndefined();
    expect(withTraceparent({ a: 1 })).toEqual({ a: 1 });
    expect(await withSpan('noop', {}, () => Promise.resolve(currentTraceparent()))).toBeUndefined();
  });
});

describe('with a tracer provider', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('a step continues the trace its message names, and the messages it sends name its span', async () => {
    const sent = await withSpan('step', { parent: contextFromTraceparent(PARENT) }, async (span) => {
      await Promise.resolve();
      return { inside: withTraceparent({ type: 'jobStep' }), outside: await outsideTrace(() => Promise.resolve(withTraceparent({ type: 'next' }))), spanId: span.spanContext().spanId };
    });
    expect(sent.inside).toEqual({ type: 'jobStep', traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${sent.spanId}-01` });
    expect(sent.outside).toEqual({ type: 'next' });
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(JSON.parse(toSpanLine(finished!))).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', name: 'step', kind: 'INTERNAL' });
  });

  it('marks a span failed when its work throws', async () => {
    exporter.reset();
    await expect(withSpan('failing', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(exporter.getFinishedSpans()[0]?.status).toMatchObject({ code: 2, message: 'boom' });
  });

  it('starts a new trace for a message without a valid traceparent', async () => {
    exporter.reset();
    await withSpan('fresh', { parent: contextFromTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01') }, () => Promise.resolve());
    expect(exporter.getFinishedSpans()[0]?.parentSpanContext).toBeUndefined();
  });
});
