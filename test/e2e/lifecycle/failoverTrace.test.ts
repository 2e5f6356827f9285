/**
 * Tracing across the service: with `SiteRecoveryTraceFile` set, a test failover started through the
 * official client is one trace — the POST's server span, every runJob step of its job (named by
 * their `jobId` attribute), the effects and the VM creation — linked parent to child.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../support/clients.js';
import { FAST, MiB, prepareProtection, type ProtectionVault } from '../protection/protectionFixture.js';
import { protectNewVm } from './lifecycleFixture.js';

interface SpanLine {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  attributes: Record<string, unknown>;
  start: string;
  end: string;
}

const ITEM = 'traced-01';

describe('one trace per operation', () => {
  const traceFile = path.join(os.tmpdir(), `site-recovery-trace-${randomUUID()}.jsonl`);
  let service: Service;
  let p: ProtectionVault;

  const spans = (): SpanLine[] =>
    fs.existsSync(traceFile)
      ? fs
          .readFileSync(traceFile, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as SpanLine)
      : [];

  beforeAll(async () => {
    service = await startService({ env: { SiteRecoveryTraceFile: traceFile } });
    p = await prepareProtection(service, 5);
    await protectNewVm(p, ITEM, [2 * MiB, 2 * MiB]);
  });

  afterAll(async () => {
    await service?.stop();
    fs.rmSync(traceFile, { force: true });
  });

  it('links the HTTP request, every step of its job and their effects in one trace', async () => {
    await p.sr.replicationProtectedItems.beginTestFailoverAndWait(
      p.vault, p.rg, p.site, p.container, ITEM,
      { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', networkId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/test-net', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
      FAST,
    );
    const post = spans().find((s) => s.kind === 'SERVER' && s.attributes['http.request.method'] === 'POST' && String(s.attributes['url.path']).endsWith('/testFailover'));
    expect(post, 'the server span of the POST').toBeDefined();
    expect(post!.name).toBe('POST protectedItemOperations');
    const jobId = post!.attributes.jobId;
    expect(typeof jobId).toBe('string');

    // The last step's span ends just after the job is marked Succeeded: wait for it.
    const deadline = Date.now() + 10_000;
    while (!spans().some((s) => s.attributes.jobId === jobId && s.name.startsWith('runJob') && s.attributes['job.state'] === 'Succeeded')) {
      if (Date.now() > deadline) throw new Error(`No runJob span of job ${String(jobId)} saw it succeed`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const all = spans();
    const steps = all.filter((s) => s.name.startsWith('runJob') && s.attributes.jobId === jobId);
    expect(steps.length).toBeGreaterThan(1);
    for (const step of steps) {
      expect(step.traceId, step.name).toBe(post!.traceId);
      expect(step).toMatchObject({ kind: 'CONSUMER', name: 'runJob testFailover', attributes: { activityId: post!.attributes.activityId, item: ITEM } });
    }

    const trace = all.filter((s) => s.traceId === post!.traceId);
    expect(trace.length).toBeGreaterThan(steps.length);
    const ids = new Set(trace.map((s) => s.spanId));
    expect(ids.size).toBe(trace.length);
    // A tree: the POST is its root, every other span's parent is in the trace, every step descends from the POST.
    expect(post!.parentSpanId).toBeUndefined();
    for (const span of trace) if (span.spanId !== post!.spanId) expect(ids.has(span.parentSpanId ?? ''), `${span.name} has its parent in the trace`).toBe(true);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const rootOf = (span: SpanLine): SpanLine => (span.parentSpanId && byId.has(span.parentSpanId) ? rootOf(byId.get(span.parentSpanId)!) : span);
    for (const step of steps) expect(rootOf(step).spanId).toBe(post!.spanId);
    // The first step's parent is the request; each later one's is the step that queued it.
    const ordered = [...steps].sort((a, b) => Number(a.attributes['job.sequence']) - Number(b.attributes['job.sequence']));
    expect(ordered[0]!.parentSpanId).toBe(post!.spanId);
    for (let i = 1; i < ordered.length; i++) expect(ids.has(ordered[i]!.parentSpanId!)).toBe(true);
    // What the steps did is in it too: the effects and the test VM's creation from the point's snapshots.
    const names = new Set(trace.map((s) => s.name));
    expect(names).toContain('effect createRecoveryVm');
    expect(names).toContain('site.createVmFromSnapshots');
  });
});
