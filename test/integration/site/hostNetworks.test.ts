/**
 * The local Hyper-V host's networks and VM network adapters on Azurite: networks added (and
 * replaced by name), adapters kept on the VM, and both in the report the host sends — which the
 * service's report schema accepts. The CLI's adapter and subnet arguments parse as documented.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { parseNic, parseSubnet } from '../../../scripts/site.js';
import { siteReportSchema } from '../../../shared/infra/siteReportSchema.js';
import { PROVIDER_AGENT_VERSION } from '../../../shared/providers/providerVersion.js';
import { createHyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { inventoryOf } from '../../../shared/site/hyperv/reportInventory.js';
import { siteKeyOf } from '../../../shared/site/siteKeyOf.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

const vaultId = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v${randomUUID().slice(0, 8)}`;
const site = () => createHyperVSite(createStorageClients(testStorage()), { siteKey: siteKeyOf(vaultId, 'net-site') });

afterEach(async () => {
  await site().container.deleteIfExists();
});

it("the host reports its networks and each VM adapter's network and address, in a report the service accepts", async () => {
  const host = site();
  await host.addNetwork({ name: 'corp', subnets: [{ name: 'web', addressPrefixes: ['10.1.1.0/24'] }] });
  await Promise.all([host.addNetwork({ name: 'CORP', subnets: [{ name: 'app', addressPrefixes: ['10.1.2.0/24'] }] }), host.addNetwork({ name: 'Lab Switch', subnets: [] })]);
  expect((await host.listNetworks()).map((network) => [network.name, network.subnets.map((subnet) => subnet.name)]).sort()).toEqual([['CORP', ['app']], ['Lab Switch', []]]);
  await expect(host.addNetwork({ name: 'bad', subnets: [{ name: 'x', addressPrefixes: ['10.0.0.0'] }] })).rejects.toMatchObject({ code: 'InvalidNetwork' });

  const vm = await host.addVm({ name: 'app-01', disks: [{ sizeBytes: 4096, isOsDisk: true }], nics: [{ networkName: 'corp', ipAddress: '10.1.2.7', ipAddressType: 'Static' }] });
  expect((await host.getVm(vm.id))?.nics).toEqual([{ networkName: 'corp', ipAddress: '10.1.2.7', ipAddressType: 'Static' }]);
  await expect(host.addVm({ name: 'bad-01', disks: [{ sizeBytes: 4096 }], nics: [{ networkName: 'corp', ipAddress: 'ten' }] })).rejects.toMatchObject({ code: 'InvalidVm' });

  const body = await inventoryOf(host, { vaultId, fabricName: 'net-site', hostName: 'hv-01' });
  expect(body).toMatchObject({ agentVersion: PROVIDER_AGENT_VERSION, networks: [{ name: 'CORP' }, { name: 'Lab Switch' }], vms: [{ name: 'app-01', nics: [{ networkName: 'corp', ipAddress: '10.1.2.7' }] }] });
  expect(siteReportSchema.safeParse(body).success).toBe(true);
});

it('a host without networks or adapters reports neither', async () => {
  const host = site();
  await host.addVm({ name: 'plain-01', disks: [{ sizeBytes: 4096, isOsDisk: true }] });
  const body = await inventoryOf(host, { vaultId, fabricName: 'net-site', hostName: 'hv-01' });
  expect(body).not.toHaveProperty('networks');
  expect(body.vms[0]).not.toHaveProperty('nics');
});

it('the CLI parses adapters and subnets', () => {
  expect(parseNic('corp')).toEqual({ networkName: 'corp' });
  expect(parseNic('corp:10.1.2.7')).toEqual({ networkName: 'corp', ipAddress: '10.1.2.7', ipAddressType: 'Dynamic' });
  expect(parseNic('Lab Switch:10.1.2.7:static')).toEqual({ networkName: 'Lab Switch', ipAddress: '10.1.2.7', ipAddressType: 'Static' });
  expect(() => parseNic('corp:static')).toThrow(/address/);
  expect(parseSubnet('app=10.1.2.0/24,10.1.3.0/24')).toEqual({ name: 'app', addressPrefixes: ['10.1.2.0/24', '10.1.3.0/24'] });
  expect(() => parseSubnet('app')).toThrow(/subnet/);
});
