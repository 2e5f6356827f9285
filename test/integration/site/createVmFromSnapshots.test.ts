import { BlobServiceClient } from '@azure/storage-blob';
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHyperVSite, type HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { copySourceUrl, sameAccount } from '../../../shared/storage/snapshotSource.js';
import { runWorkload } from '../../../shared/site/hyperv/runWorkload.js';
import type { Checkpoint, CreateVmDisk, SiteVm } from '../../../shared/site/types.js';
import { verifyPrefixConsistency } from '../../../shared/site/hyperv/verifyPrefixConsistency.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

const MiB = 1024 * 1024;
const key = (): string => randomUUID().replaceAll('-', '').slice(0, 20);
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let source: HyperVSite;
let recovery: HyperVSite;
let vm: SiteVm;

/** The VM's disks as copies of the checkpoint's snapshots (`snapshotOf` may name another snapshot of a disk). */
function disksOf(checkpoint: Checkpoint, snapshotOf: (index: number, snapshot: string) => string = (_, snapshot) => snapshot): CreateVmDisk[] {
  return vm.disks.map((disk, index) => {
    const at = checkpoint.disks.find((d) => d.diskId === disk.id)!;
    return { id: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk, source: source.snapshotSource({ container: at.container, blobName: at.blobName, snapshot: snapshotOf(index, at.snapshot) }) };
  });
}

async function blobNames(site: HyperVSite): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of site.container.listBlobsFlat({ includeSnapshots: true })) names.push(blob.name);
  return names;
}

beforeEach(async () => {
  const clients = createStorageClients(testStorage());
  source = createHyperVSite(clients, { siteKey: key() });
  recovery = createHyperVSite(clients, { siteKey: key() });
  await Promise.all([source.ensure(), recovery.ensure()]);
  vm = await source.addVm({ name: 'app-01', disks: [{ sizeBytes: 2 * MiB, contents: { kind: 'random', fraction: 0.5 } }, { sizeBytes: MiB + 1024 }] });
});

afterEach(async () => {
  await source.container.deleteIfExists();
  await recovery.container.deleteIfExists();
});

describe('VMs created from snapshots', () => {
  it('copies the snapshots server-side, provisions in bounded looks, runs a workload that continues the history', async () => {
    await (await runWorkload(source, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 30 })).done;
    const checkpoint = await source.checkpoint(vm.id);
    await (await runWorkload(source, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 5 })).done;
    const id = randomUUID();
    const options = {
      id,
      name: 'app-01-test',
      osType: 'Windows' as const,
      generation: 2 as const,
      cpuCount: 2,
      memoryMB: 2048,
      vmSize: 'Standard_D2s_v3',
      network: { networkId: 'test-net', subnetName: 'default', ipAddress: '10.0.0.4' },
      origin: { itemKey: 'item-1', pointId: 'p-1', purpose: 'test' as const },
      historySeq: checkpoint.seq,
      disks: disksOf(checkpoint),
    };
    const created = await recovery.createVmFromSnapshots(options);
    expect(created).toMatchObject({ id, provisioningState: 'Provisioning', powerState: 'Off', vmSize: 'Standard_D2s_v3', network: options.network, origin: options.origin, fenced: false });
    expect(created.disks.map((d) => d.id)).toEqual(vm.disks.map((d) => d.id));
    await expect(recovery.start(id)).rejects.toMatchObject({ code: 'VmProvisioning' });
    await expect(recovery.checkpoint(id)).rejects.toMatchObject({ code: 'VmProvisioning' });
    let provisioning = await recovery.vmProvisioning(id);
    while (provisioning.state === 'Provisioning') provisioning = await recovery.vmProvisioning(id);
    expect(provisioning).toEqual({ state: 'Succeeded', progress: 100 });
    expect(await recovery.getVm(id)).toMatchObject({ provisioningState: 'Succeeded', powerState: 'Running' });
    expect(await recovery.createVmFromSnapshots(options)).toEqual(await recovery.getVm(id));

    // The copies hold the checkpoint, not the writes since (which may all have gone to one disk).
    const writtenSince = new Set((await source.readWriteLog(vm.id, checkpoint.seq)).map((entry) => entry.diskId));
    expect(writtenSince.size).toBeGreaterThan(0);
    for (const disk of vm.disks) {
      const copy = await recovery.readDisk(id, disk.id);
      expect(sha(copy)).toBe(sha(await source.readDisk(vm.id, disk.id, checkpoint.snapshots[disk.id])));
      if (writtenSince.has(disk.id)) expect(sha(copy)).not.toBe(sha(await source.readDisk(vm.id, disk.id)));
    }
    expect(recovery.diskUrl(id, vm.disks[0]!.id)).toBe(recovery.diskBlob(created.disks[0]!).url);
    expect(recovery.diskUrl(id, vm.disks[0]!.id)).not.toMatch(/sig=/);

    const result = await (await runWorkload(recovery, id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 12 })).done;
    expect(result).toMatchObject({ firstSeq: checkpoint.seq + 1, lastSeq: checkpoint.seq + 12, writes: 12 });
    const own = await recovery.readWriteLog(id);
    expect(own.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => checkpoint.seq + 1 + i));
    const after = await recovery.checkpoint(id);
    expect(after.seq).toBe(checkpoint.seq + 12);
    expect((await recovery.readChangeLog(id, checkpoint.seq, after.seq)).complete).toBe(true);
    const history = [...(await source.readWriteLog(vm.id, 0, checkpoint.seq)), ...own];
    const images = Object.fromEntries(await Promise.all(after.disks.map(async (d) => [d.diskId, await recovery.readDisk(id, d.diskId, d.snapshot)] as const)));
    expect(verifyPrefixConsistency(images, history)).toMatchObject({ consistent: true, seq: after.seq });
  });

  it('refuses a size other than the snapshot and a missing snapshot, leaving no VM', async () => {
    const checkpoint = await source.checkpoint(vm.id);
    const base = { name: 'bad', osType: 'Linux' as const, generation: 1 as const, cpuCount: 1, memoryMB: 1024 };
    const wrongSize = disksOf(checkpoint).map((d, i) => (i === 1 ? { ...d, sizeBytes: d.sizeBytes + 512 } : d));
    const id = randomUUID();
    await expect(recovery.createVmFromSnapshots({ ...base, id, disks: wrongSize })).rejects.toMatchObject({ code: 'InvalidVm' });
    const missing = disksOf(checkpoint, (i, snapshot) => (i === 1 ? '2020-01-01T00:00:00.0000000Z' : snapshot));
    await expect(recovery.createVmFromSnapshots({ ...base, id, disks: missing })).rejects.toMatchObject({ code: 'InvalidVm' });
    await expect(recovery.createVmFromSnapshots({ ...base, id, disks: disksOf(checkpoint).map((d) => ({ ...d, isOsDisk: true })) })).rejects.toMatchObject({ code: 'InvalidVm' });
    expect(await recovery.getVm(id)).toBeUndefined();
    await recovery.removeVm(id);
    expect(await blobNames(recovery)).toEqual([]);
  });

  it('fails provisioning when a disk copy is gone, and removeVm leaves nothing behind', async () => {
    const checkpoint = await source.checkpoint(vm.id);
    const id = randomUUID();
    const created = await recovery.createVmFromSnapshots({ id, name: 'gone', osType: 'Linux', generation: 2, cpuCount: 1, memoryMB: 1024, disks: disksOf(checkpoint) });
    await recovery.diskBlob(created.disks[1]!).delete();
    const provisioning = await recovery.vmProvisioning(id);
    expect(provisioning.state).toBe('Failed');
    expect(provisioning.error).toMatch(/missing/);
    expect((await recovery.getVm(id))?.provisioningState).toBe('Failed');
    await recovery.removeVm(id);
    expect(await recovery.getVm(id)).toBeUndefined();
    expect(await blobNames(recovery)).toEqual([]);
  });

  it('removeVm deletes disks with snapshots, change log and record; refused while fenced; also cleans an unfinished creation', async () => {
    const checkpoint = await source.checkpoint(vm.id);
    const id = randomUUID();
    await recovery.createVmFromSnapshots({ id, name: 'full', osType: 'Linux', generation: 2, cpuCount: 1, memoryMB: 1024, disks: disksOf(checkpoint) });
    await recovery.vmProvisioning(id);
    await (await runWorkload(recovery, id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 3 })).done;
    await recovery.checkpoint(id);
    await recovery.fence(id);
    await expect(recovery.removeVm(id)).rejects.toMatchObject({ code: 'VmFenced' });
    await recovery.unfence(id);
    await recovery.removeVm(id);
    await recovery.removeVm(id);
    expect(await blobNames(recovery)).toEqual([]);

    // A creation that crashed after starting its copies: retried, it completes; abandoned, removeVm cleans it.
    const unfinished = randomUUID();
    const options = { id: unfinished, name: 'crashed', osType: 'Linux' as const, generation: 2 as const, cpuCount: 1, memoryMB: 1024, disks: disksOf(checkpoint) };
    await recovery.createVmFromSnapshots(options);
    await recovery.container.getBlobClient(`vms/${unfinished}.json`).delete();
    expect((await recovery.createVmFromSnapshots(options)).provisioningState).toBe('Provisioning');
    expect((await recovery.vmProvisioning(unfinished)).state).toBe('Succeeded');
    for (const disk of vm.disks) expect(sha(await recovery.readDisk(unfinished, disk.id))).toBe(sha(await source.readDisk(vm.id, disk.id, checkpoint.snapshots[disk.id])));
    await recovery.container.getBlobClient(`vms/${unfinished}.json`).delete();
    expect((await blobNames(recovery)).length).toBe(2);
    await recovery.removeVm(unfinished);
    expect(await blobNames(recovery)).toEqual([]);
  });

  it('a creation cut short after recording the VM has its copies started by the next call', async () => {
    const checkpoint = await source.checkpoint(vm.id);
    const id = randomUUID();
    const options = { id, name: 'cut-short', osType: 'Linux' as const, generation: 2 as const, cpuCount: 1, memoryMB: 1024, disks: disksOf(checkpoint) };
    const created = await recovery.createVmFromSnapshots(options);
    // As if the process died between the record and the copies: the record stays, its disks are not there.
    for (const disk of created.disks) await recovery.diskBlob(disk).deleteIfExists();
    expect((await recovery.createVmFromSnapshots(options)).provisioningState).toBe('Provisioning');
    let provisioning = await recovery.vmProvisioning(id);
    while (provisioning.state === 'Provisioning') provisioning = await recovery.vmProvisioning(id);
    expect(provisioning.state).toBe('Succeeded');
    for (const disk of vm.disks) expect(sha(await recovery.readDisk(id, disk.id))).toBe(sha(await source.readDisk(vm.id, disk.id, checkpoint.snapshots[disk.id])));
  });

  it('a retired VM is gone for good: a later create of its id is refused until the item forgets it', async () => {
    const checkpoint = await source.checkpoint(vm.id);
    const id = randomUUID();
    const options = { id, name: 'test-vm', osType: 'Linux' as const, generation: 2 as const, cpuCount: 1, memoryMB: 1024, origin: { itemKey: 'item-1', pointId: 'p-1', purpose: 'test' as const }, disks: disksOf(checkpoint) };
    await recovery.createVmFromSnapshots(options);
    while ((await recovery.vmProvisioning(id)).state === 'Provisioning');
    await recovery.fence(id);
    await expect(recovery.removeVm(id, { retire: { itemKey: 'item-1' } })).rejects.toMatchObject({ code: 'VmFenced' });
    expect((await recovery.getVm(id))?.fenced).toBe(true);
    await recovery.unfence(id);
    await recovery.removeVm(id, { retire: { itemKey: 'item-1' } });
    await recovery.removeVm(id, { retire: { itemKey: 'item-1' } });
    expect(await recovery.getVm(id)).toBeUndefined();
    expect(await recovery.listVms()).toEqual([]);
    await expect(recovery.start(id)).rejects.toMatchObject({ code: 'VmNotFound' });
    expect(await blobNames(recovery)).toEqual([`vms/${id}.json`]);

    // A late duplicate of the step that made it: refused, nothing written.
    await expect(recovery.createVmFromSnapshots(options)).rejects.toMatchObject({ code: 'VmRemoved' });
    // A plain removal does not undo the retirement.
    await recovery.removeVm(id);
    await expect(recovery.createVmFromSnapshots(options)).rejects.toMatchObject({ code: 'VmRemoved' });
    expect(await blobNames(recovery)).toEqual([`vms/${id}.json`]);
    // An id retired before it was ever created (its removal ran first) is refused the same way.
    const never = randomUUID();
    await recovery.removeVm(never, { retire: { itemKey: 'item-2' } });
    await expect(recovery.createVmFromSnapshots({ ...options, id: never })).rejects.toMatchObject({ code: 'VmRemoved' });
    await expect(recovery.removeVm(randomUUID(), { retire: { itemKey: 'no/slashes' } })).rejects.toMatchObject({ code: 'InvalidVm' });

    expect(await recovery.forgetRetiredVms('item-3')).toBe(0);
    expect(await recovery.forgetRetiredVms('item-1')).toBe(1);
    expect(await blobNames(recovery)).toEqual([`vms/${never}.json`]);
    expect(await recovery.forgetRetiredVms('item-2')).toBe(1);
    expect(await blobNames(recovery)).toEqual([]);
  });

  it('a create racing a retiring removal (between its record and its copies) leaves no disk behind', async () => {
    const checkpoint = await source.checkpoint(vm.id);
    const id = randomUUID();
    let looks = 0;
    // Sources outside this account are read through their SAS: the first copy's request for one is
    // where the removal cuts in (the two before it are the size checks).
    const disks = disksOf(checkpoint).map((disk) => ({
      ...disk,
      source: {
        url: `http://127.0.0.1:1/elsewhere/${disk.id}`,
        sasUrl: async () => {
          looks += 1;
          if (looks === vm.disks.length + 1) await recovery.removeVm(id, { retire: { itemKey: 'item-1' } });
          return disk.source.sasUrl();
        },
      },
    }));
    await expect(recovery.createVmFromSnapshots({ id, name: 'raced', osType: 'Linux', generation: 2, cpuCount: 1, memoryMB: 1024, disks })).rejects.toMatchObject({ code: 'VmRemoved' });
    expect(looks).toBe(2 * vm.disks.length);
    expect(await blobNames(recovery)).toEqual([`vms/${id}.json`]);
  });

  it('unfence with a history seq restarts the change log there, without a barrier', async () => {
    await (await runWorkload(source, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 4 })).done;
    await source.fence(vm.id);
    await source.shutdown(vm.id);
    await source.unfence(vm.id, { historySeq: 40 });
    expect(await source.readWriteLog(vm.id)).toEqual([]);
    expect((await source.checkpoint(vm.id)).seq).toBe(40);
    await source.start(vm.id);
    const result = await (await runWorkload(source, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 2 })).done;
    expect(result).toMatchObject({ firstSeq: 41, lastSeq: 42 });
    expect((await source.readChangeLog(vm.id, 40, 42)).complete).toBe(true);
    await source.unfence(vm.id, { historySeq: 7 });
    expect((await source.readWriteLog(vm.id)).map((e) => e.seq)).toEqual([41, 42]);
  });
});

describe('copy source of a disk copy', () => {
  it('is the plain snapshot URL in the same account, a read-only snapshot SAS valid an hour from another', async () => {
    const here = BlobServiceClient.fromConnectionString(testStorage());
    const otherConnection = 'DefaultEndpointsProtocol=http;AccountName=otheraccount;AccountKey=' + Buffer.alloc(64, 7).toString('base64') + ';BlobEndpoint=http://127.0.0.1:1/otheraccount';
    const other = BlobServiceClient.fromConnectionString(otherConnection);
    expect(sameAccount(here, here)).toBe(true);
    expect(sameAccount(here, other)).toBe(false);
    const snapshot = '2026-01-02T03:04:05.0000000Z';
    const local = here.getContainerClient('c').getBlobClient('disk.vhd').withSnapshot(snapshot);
    expect(await copySourceUrl(local, here, here)).toBe(local.url);
    const now = new Date('2026-05-01T12:00:00Z');
    const remote = other.getContainerClient('c').getBlobClient('disk.vhd').withSnapshot(snapshot);
    const url = new URL(await copySourceUrl(remote, other, here, now));
    expect(url.searchParams.get('snapshot')).toBe(snapshot);
    expect(url.searchParams.get('sp')).toBe('r');
    expect(url.searchParams.get('sr')).toBe('bs');
    expect(url.searchParams.get('sig')).toBeTruthy();
    expect(Date.parse(url.searchParams.get('se')!)).toBe(now.getTime() + 3600_000);
  });
});
