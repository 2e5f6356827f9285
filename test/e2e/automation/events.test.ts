/**
 * Events and alerts on a real host: job state changes, a refused command and a replication health
 * change become events, listed by `replicationEvents` (with `$filter`) and published on the events
 * queue; an alert setting's webhook (a local server on an allowed host) receives those of its
 * severities, a failing one is retried, and a webhook on a host not allowed is refused.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '../../support/clients.js';
import { all, armFetch } from '../infra/infraFixture.js';
import { protectNewVm } from '../lifecycle/lifecycleFixture.js';
import { MiB, prepareProtection, type ProtectionVault } from '../protection/protectionFixture.js';
import { automationOf, type Automation } from './queueFixture.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { diskBlobName } from '../../../shared/site/hyperv/hyperVSite.js';

const ITEM = 'evt-01';

interface EventMessage {
  id?: string;
  name: string;
  properties: { eventType: string; severity: string; description: string; affectedObjectFriendlyName?: string; healthErrors: Array<{ errorCode: string }> };
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
  });

describe('events and alerts', () => {
  let p: ProtectionVault;
  let a: Automation;
  let vm: SiteVm;
  let hooks: Server;
  const received: EventMessage[] = [];
  let failing = 0;
  const hookUrl = (path: string) => `http://127.0.0.1:${(hooks.address() as AddressInfo).port}${path}`;
  const events = (filter?: string) => all(p.sr.replicationEvents.list(p.vault, p.rg, filter ? { filter } : {}));
  const eventually = async <T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  beforeAll(async () => {
    hooks = http.createServer((request, response) => {
      void readBody(request).then((text) => {
        if (request.url === '/failing') {
          failing++;
          response.writeHead(500).end();
          return;
        }
        received.push(JSON.parse(text) as EventMessage);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const port = (hooks.address() as AddressInfo).port;
    p = await prepareProtection(await startService({ env: { AlertWebhookHosts: `127.0.0.1:${port}` } }), 5);
    a = await automationOf(p);
  });

  afterAll(async () => {
    await p?.service.stop();
    await new Promise((resolve) => hooks?.close(resolve));
  });

  it('configures alert settings: a webhook on an allowed host, and none on another', async () => {
    const setting = await p.sr.replicationAlertSettings.create(p.vault, p.rg, 'defaultAlertSetting', {
      properties: { sendToOwners: 'DoNotSend', customEmailAddresses: ['ops@example.com'], locale: 'en-US' },
    });
    expect(setting.properties).toMatchObject({ sendToOwners: 'DoNotSend', customEmailAddresses: ['ops@example.com'], locale: 'en-US' });
    const path = `${a.vaultPath}/replicationAlertSettings/webhooks`;
    const hook = await armFetch(p.service, 'PUT', path, { body: { properties: { webhookUrl: hookUrl('/alerts'), severities: ['Critical', 'Warning'] } } });
    expect(hook.status).toBe(200);
    const flaky = await armFetch(p.service, 'PUT', `${a.vaultPath}/replicationAlertSettings/flaky`, { body: { properties: { webhookUrl: hookUrl('/failing'), severities: ['Warning'] } } });
    expect(flaky.status).toBe(200);
    const refused = await armFetch(p.service, 'PUT', `${a.vaultPath}/replicationAlertSettings/elsewhere`, { body: { properties: { webhookUrl: 'http://alerts.example.com/hook' } } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('properties.webhookUrl');
    expect((await all(p.sr.replicationAlertSettings.list(p.vault, p.rg))).map((s) => s.name).sort()).toEqual(['defaultAlertSetting', 'flaky', 'webhooks']);
  });

  it("records every job's state changes as events, in replicationEvents and on the events queue", async () => {
    vm = await protectNewVm(p, ITEM, [MiB]);
    const jobEvents = await eventually(
      () => events("eventType eq 'JobStatus'"),
      (list) => list.some((e) => e.properties?.description === 'EnableDr - Succeeded'),
    );
    const enabled = jobEvents.find((e) => e.properties?.description === 'EnableDr - Succeeded')!;
    expect(enabled.properties).toMatchObject({ eventType: 'JobStatus', severity: 'OK', affectedObjectFriendlyName: ITEM });
    expect(jobEvents.map((e) => e.properties?.description)).toContain('EnableDr - InProgress');
    expect((await p.sr.replicationEvents.get(p.vault, p.rg, enabled.name!)).properties?.description).toBe('EnableDr - Succeeded');
    const published = (await eventually(() => a.peekAll(a.queue('site-recovery-events')), (list) => list.length > 0)) as EventMessage[];
    expect(published.some((e) => e.properties.eventType === 'JobStatus')).toBe(true);
    expect(await events("severity eq 'Critical' and eventType eq 'JobStatus'")).toEqual([]);
    await expect(events("bogus eq 'x'")).rejects.toMatchObject({ statusCode: 400 });
  });

  it('records a refused command as an event and delivers it to the webhooks of its severity', async () => {
    const commit = await armFetch(p.service, 'POST', `${a.itemPath(ITEM)}/failoverCommit`, { body: {}, headers: { 'x-ms-client-request-id': randomUUID() } });
    expect(commit.status).toBe(409);
    const refused = await eventually(() => events(`eventType eq 'CommandRefused' and affectedObjectFriendlyName eq '${ITEM}'`), (list) => list.length > 0);
    expect(refused[0]!.properties).toMatchObject({ severity: 'Warning', affectedObjectFriendlyName: ITEM, description: 'failoverCommit refused (409 OperationNotAllowed)' });
    const hooked = await eventually(async () => received.filter((e) => e.properties.eventType === 'CommandRefused' && e.properties.affectedObjectFriendlyName === ITEM), (list) => list.length > 0);
    expect(hooked[0]!.name).toBe(refused[0]!.name);
    // Job events are Information or OK: not the webhook's severities.
    expect(received.filter((e) => e.properties.eventType === 'JobStatus')).toEqual([]);
    const setting = await eventually(
      () => armFetch(p.service, 'GET', `${a.vaultPath}/replicationAlertSettings/webhooks`).then((r) => r.json as { properties: { deliveries: Array<{ eventName: string; outcome: string }> } }),
      (body) => body.properties.deliveries.some((d) => d.outcome === 'Delivered'),
    );
    expect(setting.properties.deliveries).toContainEqual(expect.objectContaining({ eventName: refused[0]!.name, outcome: 'Delivered', attempts: 1 }));
    const flaky = await eventually(
      () => armFetch(p.service, 'GET', `${a.vaultPath}/replicationAlertSettings/flaky`).then((r) => r.json as { properties: { deliveries: Array<{ outcome: string; attempts: number; problem?: string }> } }),
      (body) => body.properties.deliveries.some((d) => d.attempts >= 2),
    );
    expect(flaky.properties.deliveries[0]).toMatchObject({ outcome: 'Retrying', problem: 'it answered 500' });
    expect(failing).toBeGreaterThanOrEqual(2);
  });

  it('records a replication health change with its health error when a cycle fails', async () => {
    // The source disk disappears: the next cycle fails and replication health turns Warning.
    await p.hyperV.container.getBlobClient(diskBlobName(vm.id, vm.disks[0]!.id)).delete({ deleteSnapshots: 'include' });
    const health = await eventually(() => events(`eventType eq 'VmHealth' and affectedObjectFriendlyName eq '${ITEM}'`), (list) => list.some((e) => e.properties?.severity !== 'OK'), 90_000);
    const changed = health.find((e) => e.properties?.severity !== 'OK')!;
    expect(['Warning', 'Critical']).toContain(changed.properties?.severity);
    expect(changed.properties?.description).toMatch(/^Replication health is (Warning|Critical)/);
    expect(changed.properties?.healthErrors?.length).toBeGreaterThan(0);
    await eventually(async () => received.filter((e) => e.properties.eventType === 'VmHealth'), (list) => list.length > 0);
  });
});
