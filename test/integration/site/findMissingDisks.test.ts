import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createHyperVSite, type HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

const MiB = 1024 * 1024;
let site: HyperVSite;

beforeEach(async () => {
  site = createHyperVSite(createStorageClients(testStorage()), { siteKey: randomUUID().replaceAll('-', '').slice(0, 20) });
  await site.ensure();
});
afterEach(async () => {
  await site.container.deleteIfExists();
});

it('names the VM, disk, blob or size that keeps the disks from being written again', async () => {
  const vm = await site.addVm({ name: 'web-01', disks: [{ sizeBytes: MiB }, { sizeBytes: MiB }] });
  const expected = vm.disks.map((d) => ({ id: d.id, sizeBytes: d.sizeBytes }));
  expect(await site.findMissingDisks(vm.id, expected)).toEqual([]);
  const gone = randomUUID();
  await site.diskBlob(vm.disks[1]!).delete();
  await site.diskBlob(vm.disks[0]!).resize(2 * MiB);
  expect(await site.findMissingDisks(vm.id, [...expected, { id: gone, sizeBytes: MiB }])).toEqual([
    `Disk '${vm.disks[0]!.name}' of VM 'web-01' has ${2 * MiB} bytes instead of ${MiB}.`,
    `The blob '${vm.disks[1]!.blobName}' of disk '${vm.disks[1]!.name}' of VM 'web-01' is missing.`,
    `Disk '${gone}' is no longer attached to VM 'web-01'.`,
  ]);
  await site.removeVm(vm.id);
  expect(await site.findMissingDisks(vm.id, expected)).toEqual([`VM '${vm.id}' no longer exists at site '${site.siteKey}'.`]);
});
