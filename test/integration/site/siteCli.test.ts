import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSiteCommand, parseDuration, parseSize } from '../../../scripts/site.js';
import { createHyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import type { HyperVSiteReport } from '../../../shared/site/hyperv/reportInventory.js';
import { siteKeyOf } from '../../../shared/site/siteKeyOf.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

let server: http.Server;
let reports: Array<{ key: string | undefined; body: HyperVSiteReport }>;
let serviceUrl: string;
const vaultId = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v${randomUUID().slice(0, 8)}`;

beforeEach(async () => {
  reports = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      reports.push({ key: req.headers['x-ms-registration-key'] as string | undefined, body: JSON.parse(body) as HyperVSiteReport });
      res.writeHead(req.url === '/api/hyperVSites/report' ? 200 : 404).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  const site = createHyperVSite(createStorageClients(testStorage()), { siteKey: siteKeyOf(vaultId, 'hyperv-site') });
  await site.container.deleteIfExists();
});

const cli = (...args: string[]): Promise<unknown> =>
  buildSiteCommand()
    .exitOverride()
    .parseAsync(['node', 'site', '--vault-id', vaultId, '--fabric', 'hyperv-site', '--connection', testStorage(), '--service', serviceUrl, '--registration-key', 'reg-key', ...args]);

describe('site CLI', () => {
  it('parses sizes and durations', () => {
    expect(parseSize('64MiB')).toBe(64 * 1024 * 1024);
    expect(parseSize('512')).toBe(512);
    expect(() => parseSize('1000')).toThrow(/512/);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
  });

  it('adds a VM, runs a workload, shuts it down and starts it, reporting the inventory after each change', async () => {
    await cli('add-vm', '--name', 'web-01', '--disk', '1MiB', '--disk', '512KiB', '--fill', 'random:0.5', '--os', 'Linux');
    await cli('workload', '--vm', 'web-01', '--rate', '0', '--max-writes', '5', '--write-size', '4KiB');
    await cli('shutdown', '--vm', 'web-01');
    await cli('start', '--vm', 'web-01');
    expect(reports).toHaveLength(3);
    expect(reports.every((r) => r.key === 'reg-key')).toBe(true);
    const last = reports[2]!.body;
    expect(last).toMatchObject({ vaultId, fabricName: 'hyperv-site' });
    expect(last.vms).toHaveLength(1);
    expect(last.vms[0]).toMatchObject({ name: 'web-01', osType: 'Linux', powerState: 'Running' });
    expect(last.vms[0]!.disks.map((d) => [d.sizeBytes, d.isOsDisk, d.container])).toEqual([
      [1024 * 1024, true, `hvsite-${siteKeyOf(vaultId, 'hyperv-site')}`],
      [512 * 1024, false, `hvsite-${siteKeyOf(vaultId, 'hyperv-site')}`],
    ]);
    expect(reports[1]!.body.vms[0]!.powerState).toBe('Off');
    const site = createHyperVSite(createStorageClients(testStorage()), { siteKey: siteKeyOf(vaultId, 'hyperv-site') });
    expect(await site.readWriteLog(last.vms[0]!.id)).toHaveLength(5);
  });
});
