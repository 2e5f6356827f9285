/**
 * Bulk enable protection: fifty small VMs enabled at once through the official client, all in
 * flight together, each reaching Protected with a recovery point.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SiteVm } from '../../../shared/site/types.js';
import { all } from '../infra/infraFixture.js';
import { startService, type Service } from '../../support/clients.js';
import { enableInput, FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from './protectionFixture.js';

const COUNT = 50;

let service: Service;
let p: ProtectionVault;
let vms: SiteVm[];

beforeAll(async () => {
  service = await startService();
  p = await prepareProtection(service, 5);
  vms = await p.addVms(Array.from({ length: COUNT }, (_, i) => ({ name: `bulk-${String(i).padStart(2, '0')}`, disks: [{ sizeBytes: MiB, isOsDisk: true, contents: { kind: 'pattern' as const, byte: i } }] })));
});

afterAll(async () => {
  await service?.stop();
});

it(`enables protection for ${COUNT} VMs at once; all reach Protected`, async () => {
  const created = await Promise.all(vms.map((vm) => p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, vm.name, enableInput(p, vm), FAST)));
  expect(created.map((item) => item.name).sort()).toEqual(vms.map((vm) => vm.name).sort());
  for (const vm of vms) await waitForItem(p, vm.name, (item) => item.properties?.protectionState === 'Protected', 90_000);
  const items = await all(p.sr.replicationProtectedItems.listByReplicationProtectionContainers(p.vault, p.rg, p.site, p.container));
  expect(items).toHaveLength(COUNT);
  expect(items.every((item) => (item.properties?.providerSpecificDetails as { initialReplicationDetails?: { initialReplicationProgressPercentage?: string } }).initialReplicationDetails?.initialReplicationProgressPercentage === '100')).toBe(true);
  for (const vm of vms.slice(0, 5)) {
    const points = await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, vm.name));
    expect(points.length).toBeGreaterThanOrEqual(1);
  }
});
