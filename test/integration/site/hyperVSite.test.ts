import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHyperVSite, type HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { runWorkload } from '../../../shared/site/hyperv/runWorkload.js';
import { guestLeaseIdOf } from '../../../shared/site/hyperv/checkpoints.js';
import { siteKeyOf } from '../../../shared/site/siteKeyOf.js';
import { SiteError } from '../../../shared/errors/SiteError.js';
import { stampWrite } from '../../../shared/site/hyperv/sectorStamp.js';
import { verifyPrefixConsistency } from '../../../shared/site/hyperv/verifyPrefixConsistency.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import type { Checkpoint } from '../../../shared/site/types.js';
import { startStorageProxy } from '../../../scripts/storageProxy.js';
import { azuritePortsOf, testStorage } from '../../support/storage.js';

const MiB = 1024 * 1024;
let site: HyperVSite;
let siteKey: string;

async function images(checkpoint: Checkpoint): Promise<Record<string, Buffer>> {
  const result: Record<string, Buffer> = {};
  for (const disk of checkpoint.disks) result[disk.diskId] = await site.readDisk(checkpoint.vmId, disk.diskId, disk.snapshot);
  return result;
}

beforeEach(async () => {
  siteKey = siteKeyOf(`/vaults/${randomUUID()}`, 'Site-1');
  site = createHyperVSite(createStorageClients(testStorage()), { siteKey });
  await site.ensure();
});
afterEach(async () => {
  await site.container.deleteIfExists();
});

describe('siteKeyOf', () => {
  it('is stable, case-insensitive, short and container-safe', () => {
    const key = siteKeyOf('/Subscriptions/X/vaults/V', 'HyperV-Site');
    expect(key).toBe(siteKeyOf('/subscriptions/x/vaults/v', 'hyperv-site'));
    expect(key).toMatch(/^[a-z0-9]{1,40}$/);
    expect(siteKeyOf('/v', 'a'.repeat(200))).toMatch(/^[a-z0-9]{1,40}$/);
    expect(siteKeyOf('/v1', 'f')).not.toBe(siteKeyOf('/v2', 'f'));
  });
});

describe('Hyper-V site', () => {
  it('adds, lists, shuts down, starts and removes VMs', async () => {
    const vm = await site.addVm({ name: 'web-01', osType: 'Linux', disks: [{ sizeBytes: MiB, contents: { kind: 'pattern', byte: 7 } }, { sizeBytes: 2 * MiB }] });
    expect(vm.disks[0]!.isOsDisk).toBe(true);
    expect((await site.listVms()).map((v) => v.name)).toEqual(['web-01']);
    expect((await site.readDisk(vm.id, vm.disks[0]!.id)).every((b) => b === 7)).toBe(true);
    expect((await site.shutdown(vm.id)).powerState).toBe('Off');
    await expect(runWorkload(site, vm.id)).rejects.toMatchObject({ code: 'VmOff' });
    expect((await site.start(vm.id)).powerState).toBe('Running');
    await expect(site.addVm({ id: vm.id, name: 'dup', disks: [{ sizeBytes: MiB }] })).rejects.toMatchObject({ code: 'VmExists' });
    await site.removeVm(vm.id);
    expect(await site.getVm(vm.id)).toBeUndefined();
    await site.removeVm(vm.id);
  });

  it('keeps every checkpoint of a multi-disk VM prefix-consistent while the workload writes', async () => {
    const vm = await site.addVm({ name: 'db-01', disks: [{ sizeBytes: 2 * MiB }, { sizeBytes: 2 * MiB }, { sizeBytes: MiB }] });
    const workload = await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 8192 });
    const checkpoints: Checkpoint[] = [];
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      checkpoints.push(await site.checkpoint(vm.id));
    }
    const result = await workload.stop();
    expect(result.writes).toBeGreaterThan(0);
    const log = await site.readWriteLog(vm.id);
    for (const checkpoint of checkpoints) {
      const check = verifyPrefixConsistency(await images(checkpoint), log);
      expect(check.problems).toEqual([]);
      expect(check.seq).toBe(checkpoint.seq);
    }
    expect(checkpoints[3]!.seq).toBeGreaterThan(checkpoints[0]!.seq);
    const final = await site.checkpoint(vm.id);
    expect(final.seq).toBe(result.lastSeq);
    expect(verifyPrefixConsistency(await images(final), log)).toMatchObject({ consistent: true, seq: result.lastSeq });
  });

  describe('checkpoints while storage is slow for one of them', () => {
    /** A second view of the site through a proxy that holds this VM's snapshot of one disk for `delayMs` (the first `times` times). */
    async function slowSnapshotsOf(blobName: string, delayMs: number, times = Number.POSITIVE_INFINITY): Promise<{ slow: HyperVSite; close: () => Promise<void> }> {
      let left = times;
      const proxy = await startStorageProxy({
        target: azuritePortsOf(testStorage()),
        async decide(request) {
          if (request.method === 'PUT' && request.url.includes(blobName) && request.url.includes('comp=snapshot') && left-- > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          return { kind: 'forward' };
        },
      });
      return { slow: createHyperVSite(createStorageClients(proxy.connectionString), { siteKey }), close: () => proxy.close() };
    }

    async function expectConsistent(checkpoints: Checkpoint[], vmId: string): Promise<void> {
      const log = await site.readWriteLog(vmId);
      for (const checkpoint of checkpoints) {
        const check = verifyPrefixConsistency(await images(checkpoint), log);
        expect(check.problems, `checkpoint at seq ${checkpoint.seq}`).toEqual([]);
        expect(check.seq).toBe(checkpoint.seq);
      }
    }

    it('a checkpoint never takes the disks from another one (a duplicated planning step): both stay prefix-consistent', async () => {
      const vm = await site.addVm({ name: 'db-02', disks: [{ sizeBytes: 2 * MiB }, { sizeBytes: MiB }] });
      const { slow, close } = await slowSnapshotsOf(vm.disks[1]!.blobName, 400);
      const workload = await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 8192 });
      const checkpoints: Checkpoint[] = [];
      try {
        for (let round = 0; round < 3; round++) {
          const first = slow.checkpoint(vm.id);
          await new Promise((resolve) => setTimeout(resolve, 100));
          checkpoints.push(...(await Promise.all([first, site.checkpoint(vm.id)])));
        }
      } finally {
        await close();
      }
      expect((await workload.stop()).writes).toBeGreaterThan(0);
      await expectConsistent(checkpoints, vm.id);
    });

    it('a checkpoint that outlasted its hold on the disks is taken again', async () => {
      const vm = await site.addVm({ name: 'db-03', disks: [{ sizeBytes: 2 * MiB }, { sizeBytes: MiB }] });
      const { slow, close } = await slowSnapshotsOf(vm.disks[1]!.blobName, 16_000, 1);
      const workload = await runWorkload(site, vm.id, { writesPerSecond: 50, writeSizeBytes: 8192 });
      let checkpoint: Checkpoint;
      try {
        checkpoint = await slow.checkpoint(vm.id);
      } finally {
        await close();
      }
      expect((await workload.stop()).writes).toBeGreaterThan(0);
      await expectConsistent([checkpoint], vm.id);
      // The lapsed try's snapshots are gone: each disk has the kept checkpoint's snapshot only.
      const found: string[] = [];
      for await (const blob of site.container.listBlobsFlat({ prefix: `disks/${vm.id.toLowerCase()}/`, includeSnapshots: true })) if (blob.snapshot) found.push(blob.snapshot);
      expect(found.sort()).toEqual(Object.values(checkpoint.snapshots).sort());
    }, 40_000);
  });

  it('detects a missing write and a corrupted sector', async () => {
    const diskId = randomUUID();
    const image = Buffer.alloc(64 * 1024);
    const log = [1, 2, 3].map((seq) => ({ seq, diskId, offset: (seq - 1) * 8192, length: 8192, time: '' }));
    stampWrite(diskId, 1, 0, 8192).copy(image, 0);
    stampWrite(diskId, 3, 16384, 8192).copy(image, 16384);
    expect(verifyPrefixConsistency({ [diskId]: image }, log).consistent).toBe(false);
    stampWrite(diskId, 2, 8192, 8192).copy(image, 8192);
    expect(verifyPrefixConsistency({ [diskId]: image }, log)).toMatchObject({ consistent: true, seq: 3 });
    image.writeUInt8(image.readUInt8(8192 + 100) ^ 1, 8192 + 100);
    expect(verifyPrefixConsistency({ [diskId]: image }, log).consistent).toBe(false);
  });

  it('acknowledges an application-consistent checkpoint at a write boundary', async () => {
    const vm = await site.addVm({ name: 'app-01', disks: [{ sizeBytes: MiB }, { sizeBytes: MiB }] });
    const workload = await runWorkload(site, vm.id, { writesPerSecond: 50, writeSizeBytes: 4096 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const checkpoint = await site.checkpoint(vm.id, { applicationConsistent: true });
    await workload.stop();
    expect(checkpoint.applicationConsistent).toBe(true);
    expect(verifyPrefixConsistency(await images(checkpoint), await site.readWriteLog(vm.id))).toMatchObject({ consistent: true, seq: checkpoint.seq });
    const idle = await site.checkpoint(vm.id, { applicationConsistent: true });
    expect(idle.applicationConsistent).toBe(true);
  });

  it('falls back to crash-consistent when the guest does not answer', async () => {
    const vm = await site.addVm({ name: 'hung-01', disks: [{ sizeBytes: MiB }] });
    // A guest that holds its disks and never answers.
    await site.diskBlob(vm.disks[0]!).getBlobLeaseClient(guestLeaseIdOf(vm.id)).acquireLease(-1);
    const checkpoint = await site.checkpoint(vm.id, { applicationConsistent: true, quiesceTimeoutInMs: 200 });
    expect(checkpoint.applicationConsistent).toBe(false);
  });

  it('deletes the checkpoints taken with a tag (those older than a time, when given), and no other snapshot', async () => {
    const vm = await site.addVm({ name: 'tagged', disks: [{ sizeBytes: MiB, isOsDisk: true }, { sizeBytes: MiB }] });
    const snapshotsOf = async (): Promise<string[]> => {
      const found: string[] = [];
      for await (const blob of site.container.listBlobsFlat({ prefix: `disks/${vm.id.toLowerCase()}/`, includeSnapshots: true })) if (blob.snapshot) found.push(blob.snapshot);
      return found.sort();
    };
    const untagged = await site.checkpoint(vm.id);
    const older = await site.checkpoint(vm.id, { tag: 'replication' });
    const cutoff = new Date(Date.now() + 1000);
    await new Promise((r) => setTimeout(r, 1100));
    const newer = await site.checkpoint(vm.id, { tag: 'replication' });
    const other = await site.checkpoint(vm.id, { tag: 'drill' });
    expect(await snapshotsOf()).toHaveLength(8);

    expect(await site.deleteCheckpoints(vm.id, 'replication', cutoff)).toBe(2);
    const kept = (checkpoint: Checkpoint): string[] => checkpoint.disks.map((disk) => disk.snapshot);
    expect(await snapshotsOf()).toEqual([...kept(untagged), ...kept(newer), ...kept(other)].sort());
    expect(await site.deleteCheckpoints(vm.id, 'replication')).toBe(2);
    expect(await snapshotsOf()).toEqual([...kept(untagged), ...kept(other)].sort());
    expect(older.disks).toHaveLength(2);
  });

  it('fencing refuses writes and start until unfenced', async () => {
    const vm = await site.addVm({ name: 'fenced-01', disks: [{ sizeBytes: MiB }] });
    const workload = await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await site.fence(vm.id);
    const result = await workload.done;
    expect(result.reason).toBe('fenced');
    const blob = site.diskBlob(vm.disks[0]!);
    await expect(blob.uploadPages(Buffer.alloc(512, 1), 0, 512)).rejects.toMatchObject({ statusCode: 412 });
    await expect(runWorkload(site, vm.id)).rejects.toBeInstanceOf(SiteError);
    await site.shutdown(vm.id);
    await expect(site.start(vm.id)).rejects.toMatchObject({ code: 'VmFenced' });
    await site.checkpoint(vm.id);
    await expect(blob.uploadPages(Buffer.alloc(512, 1), 0, 512)).rejects.toMatchObject({ statusCode: 412 });
    await blob.uploadPages(Buffer.alloc(512, 1), 0, 512, { conditions: { leaseId: site.fenceLeaseId(vm.id) } });
    await site.unfence(vm.id);
    await site.start(vm.id);
    const logged = (await site.readWriteLog(vm.id)).length;
    const again = await runWorkload(site, vm.id, { maxWrites: 3, writesPerSecond: 0 });
    expect((await again.done).lastSeq).toBe(logged + 3);
    const final = await site.checkpoint(vm.id);
    expect(final.seq).toBe(logged + 3);
    expect((await site.readChangeLog(vm.id, 0, final.seq)).complete).toBe(false);
    expect((await site.readChangeLog(vm.id, logged, final.seq)).complete).toBe(true);
    expect(verifyPrefixConsistency(await images(final), await site.readWriteLog(vm.id))).toMatchObject({ consistent: true, seq: final.seq });
  });

  it('keeps a fence that arrives while checkpoints hold the disks', async () => {
    const vm = await site.addVm({ name: 'fenced-02', disks: [{ sizeBytes: MiB }, { sizeBytes: MiB }, { sizeBytes: MiB }] });
    // Two checkpoints take turns on the disks while the fence arrives; one that finds the fence holding
    // a disk waits for it (up to 10 s) and gives up, retryably: what matters is the fence.
    const checkpoints = [site.checkpoint(vm.id), site.checkpoint(vm.id)].map((taking) => taking.then((taken) => site.deleteCheckpoint(taken), () => undefined));
    await site.fence(vm.id);
    await Promise.all(checkpoints);
    for (const disk of vm.disks) {
      const blob = site.diskBlob(disk);
      await expect(blob.uploadPages(Buffer.alloc(512, 1), 0, 512), `disk ${disk.id}`).rejects.toMatchObject({ statusCode: 412 });
      await blob.uploadPages(Buffer.alloc(512, 1), 0, 512, { conditions: { leaseId: site.fenceLeaseId(vm.id) } });
    }
    await site.unfence(vm.id);
  });

  it('reports changed ranges merged per disk, and gaps', async () => {
    const vm = await site.addVm({ name: 'log-01', disks: [{ sizeBytes: MiB }] });
    const workload = await runWorkload(site, vm.id, { pattern: 'sequential', writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 5 });
    await workload.done;
    const changed = await site.readChangeLog(vm.id, 1, 5);
    expect(changed).toEqual({ complete: true, writes: 4, disks: { [vm.disks[0]!.id]: [{ offset: 4096, length: 4 * 4096 }] } });
    expect((await site.readChangeLog(vm.id, 3, 9)).complete).toBe(false);
  });
});
