import { afterAll, beforeAll, expect, test } from 'vitest';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { createControlPlane } from '../../../shared/jobs/controlPlane.js';
import { createJsonQueues } from '../../../shared/storage/jsonQueues.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { getSiteHealth, getSiteInventory, markVmProtected, markVmUnprotected } from '../../../shared/infra/siteInventory.js';
import { startService, type Service } from '../../support/clients.js';
import { all, armFetch, prepareVault, vaultPath, type PreparedVault } from './infraFixture.js';

let service: Service;
let p: PreparedVault;
let registrationKey: string;
beforeAll(async () => {
  service = await startService();
  p = await prepareVault(service);
  registrationKey = (await armFetch(service, 'POST', `${vaultPath(p.sub, p.rg, p.vault)}/listRegistrationKey`, { apiVersion: '2024-04-01' })).json.registrationKey;
});
afterAll(async () => {
  await service?.stop();
});

const MiB = 1024 * 1024;

function report(vms: unknown[], overrides: Record<string, unknown> = {}) {
  return { vaultId: vaultPath(p.sub, p.rg, p.vault), fabricName: p.site, hostName: 'hv-host-01', vms, ...overrides };
}

function vm(id: string, name: string) {
  return {
    id,
    name,
    osType: 'Linux',
    generation: 2,
    cpuCount: 2,
    memoryMB: 2048,
    powerState: 'Running',
    disks: [
      { id: `${id}-os`, name: `${name}-os.vhdx`, sizeBytes: 64 * MiB, isOsDisk: true, container: 'site-disks', blobName: `${name}/os.vhd` },
      { id: `${id}-data`, name: `${name}-data.vhdx`, sizeBytes: 16 * MiB, isOsDisk: false, container: 'site-disks', blobName: `${name}/data.vhd` },
    ],
  };
}

const post = (body: unknown, key: string | undefined) =>
  armFetch(service, 'POST', '/hyperVSites/report', { body, apiVersion: null, key: null, headers: key === undefined ? {} : { 'x-ms-registration-key': key } });

test('a report with the wrong or no registration key is 401 and stores nothing', async () => {
  expect((await post(report([vm('vm-1', 'web-01')]), 'wrong-key')).status).toBe(401);
  expect((await post(report([vm('vm-1', 'web-01')]), undefined)).status).toBe(401);
  const items = await all(p.sr.replicationProtectableItems.listByReplicationProtectionContainers(p.vault, p.rg, p.site, `${p.site}-container`));
  expect(items).toHaveLength(0);
});

test.each([
  ['an unknown OS', (v: any) => ({ ...v, osType: 'Plan9' }), 'vms.0.osType'],
  ['a disk size not a multiple of 512', (v: any) => ({ ...v, disks: [{ ...v.disks[0], sizeBytes: 1000 }] }), 'vms.0.disks.0.sizeBytes'],
  ['two OS disks', (v: any) => ({ ...v, disks: v.disks.map((d: any) => ({ ...d, isOsDisk: true })) }), 'vms.0.disks'],
  ['an unexpected field', (v: any) => ({ ...v, extra: 1 }), 'vms.0'],
  ['a VM id with a quote', (v: any) => ({ ...v, id: "vm'1" }), 'vms.0.id'],
])('a report with %s is 400 naming the field', async (_label, change, field) => {
  const response = await post(report([change(vm('vm-1', 'web-01'))]), registrationKey);
  expect(response.status).toBe(400);
  expect(response.json.error.target).toBe(field);
  expect(response.json.error.message).toContain(field);
});

test('a report for a recovery site or a missing fabric is rejected', async () => {
  expect((await post(report([], { fabricName: p.recovery }), registrationKey)).status).toBe(400);
  expect((await post(report([], { fabricName: 'nope' }), registrationKey)).status).toBe(404);
});

test('reported VMs become protectable items with their disks; marks show protection; health follows heartbeats', async () => {
  const accepted = await post(report([vm('vm-1', 'web-01'), vm('vm-2', 'db-01')]), registrationKey);
  expect(accepted.status).toBe(200);
  expect(accepted.json).toMatchObject({ vmCount: 2, hostName: 'hv-host-01' });

  const container = `${p.site}-container`;
  const items = await all(p.sr.replicationProtectableItems.listByReplicationProtectionContainers(p.vault, p.rg, p.site, container));
  expect(items.map((item) => item.properties?.friendlyName).sort()).toEqual(['db-01', 'web-01']);
  const item = await p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, container, 'vm-1');
  expect(item.properties).toMatchObject({
    friendlyName: 'web-01',
    protectionStatus: 'Unprotected',
    customDetails: {
      instanceType: 'HyperVVirtualMachine',
      sourceItemId: 'vm-1',
      generation: '2',
      osDetails: { osType: 'Linux' },
      diskDetails: [
        { maxSizeMB: 64, vhdId: 'vm-1-os', vhdName: 'web-01-os.vhdx', vhdType: 'OperatingSystem' },
        { maxSizeMB: 16, vhdId: 'vm-1-data', vhdName: 'web-01-data.vhdx', vhdType: 'DataDisk' },
      ],
      hasPhysicalDisk: 'NotPresent',
      hasFibreChannelAdapter: 'NotPresent',
      hasSharedVhd: 'NotPresent',
    },
  });
  const raw = await armFetch(service, 'GET', `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}/replicationProtectionContainers/${container}/replicationProtectableItems/vm-1`);
  expect(raw.json.properties.customDetails.diskDetails[0]).toMatchObject({ container: 'site-disks', blobName: 'web-01/os.vhd' });
  await expect(p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, container, 'vm-9')).rejects.toMatchObject({ statusCode: 404 });

  const clients = createStorageClients(service.connectionString);
  const plane = createControlPlane(clients, 'controlplane', createJsonQueues(clients.queues));
  const vault = { subscriptionId: p.sub, resourceGroupName: p.rg, vaultName: p.vault };
  const partition = vaultPartition(vault);
  const inventory = await getSiteInventory(plane.repository, partition, p.site);
  expect(inventory.vms.map((v) => v.name).sort()).toEqual(['db-01', 'web-01']);
  expect(await getSiteHealth(plane.repository, partition, p.site)).toMatchObject({ healthy: true });
  const later = new Date(Date.now() + 11 * 60_000);
  expect(await getSiteHealth(plane.repository, partition, p.site, later)).toMatchObject({
    healthy: false,
    error: { code: 'SiteHostHeartbeatMissing', recommendedAction: expect.stringContaining("Start the Hyper-V host's agent") },
  });

  await markVmProtected(plane.repository, vault, p.site, 'vm-1', '/protected/item/id');
  const protectedItem = await p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, container, 'vm-1');
  expect(protectedItem.properties).toMatchObject({ protectionStatus: 'Protected', replicationProtectedItemId: '/protected/item/id' });
  expect((await p.sr.replicationProtectionContainers.get(p.vault, p.rg, p.site, container)).properties?.protectedItemCount).toBe(1);
  await markVmUnprotected(plane.repository, vault, p.site, 'vm-1');
  expect((await p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, container, 'vm-1')).properties?.protectionStatus).toBe('Unprotected');

  const fabric = await p.sr.replicationFabrics.get(p.vault, p.rg, p.site);
  expect(fabric.properties?.health).toBe('Normal');
  expect(fabric.properties?.customDetails).toMatchObject({ instanceType: 'HyperVSite', hyperVHosts: [{ name: 'hv-host-01' }] });

  const next = await post(report([vm('vm-2', 'db-01')]), registrationKey);
  expect(next.status).toBe(200);
  const remaining = await all(p.sr.replicationProtectableItems.listByReplicationProtectionContainers(p.vault, p.rg, p.site, container));
  expect(remaining.map((i) => i.name)).toEqual(['vm-2']);
});

test('a host reporting 1 000 VMs of three disks each (the most a report holds) is accepted, and every VM is protectable', async () => {
  const many = Array.from({ length: 1000 }, (_, i) => {
    const v = vm(`fleet-${String(i).padStart(4, '0')}-${'a'.repeat(24)}`, `fleet-vm-${String(i).padStart(4, '0')}`);
    return { ...v, disks: [...v.disks, { ...v.disks[1]!, id: `${v.id}-logs`, name: `${v.name}-logs.vhdx`, blobName: `${v.name}/logs.vhd` }] };
  });
  expect(JSON.stringify(many).length).toBeGreaterThan(450_000);
  const accepted = await post(report(many, { hostName: 'hv-host-fleet' }), registrationKey);
  expect(accepted.status).toBe(200);
  expect(accepted.json.vmCount).toBe(1000);
  const items = await all(p.sr.replicationProtectableItems.listByReplicationProtectionContainers(p.vault, p.rg, p.site, `${p.site}-container`));
  const reported = new Set(many.map((v) => v.id));
  expect(items.filter((item) => reported.has(item.name!))).toHaveLength(1000);
  const one = await p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, `${p.site}-container`, many[999]!.id);
  expect(one.properties?.friendlyName).toBe('fleet-vm-0999');
  // The host leaves: its next report lists none of them.
  expect((await post(report([], { hostName: 'hv-host-fleet' }), registrationKey)).status).toBe(200);
});
