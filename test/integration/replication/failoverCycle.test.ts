import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { totalBytes } from '../../../shared/site/byteRanges.js';
import { createHyperVSite, type HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { runWorkload } from '../../../shared/site/hyperv/runWorkload.js';
import type { ChangeLogEntry, Checkpoint, SiteVm } from '../../../shared/site/types.js';
import { verifyPrefixConsistency } from '../../../shared/site/hyperv/verifyPrefixConsistency.js';
import { CHUNK_SIZE, hashChunk } from '../../../shared/replication/chunks.js';
import type { CycleState } from '../../../shared/replication/cycleState.js';
import type { RecoveryPoint } from '../../../shared/replication/recoveryPoint.js';
import { createRecoveryPointStore, type TableRecoveryPointStore } from '../../../shared/replication/recoveryPointStore.js';
import { createRecoverySite, replicaBlobName, type RecoverySite } from '../../../shared/replication/recoverySite.js';
import { createReplicationEngine, type ReplicationEngine } from '../../../shared/replication/replicationEngine.js';
import { createBlobReplicaTarget } from '../../../shared/replication/replicaTarget.js';
import { vmDisksFromPoint } from '../../../shared/replication/vmDisksFromPoint.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { snapshotSource } from '../../../shared/storage/snapshotSource.js';
import { testStorage } from '../../support/storage.js';

const MiB = 1024 * 1024;
const key = (): string => randomUUID().replaceAll('-', '').slice(0, 20);

let original: HyperVSite;
let replicas: RecoverySite;
let recoveryVms: HyperVSite;
let points: TableRecoveryPointStore;
let forward: ReplicationEngine;
let reverse: ReplicationEngine;
let vm: SiteVm;
let itemKey: string;

async function run(engine: ReplicationEngine, state: CycleState): Promise<{ state: CycleState; point: RecoveryPoint }> {
  let current = state;
  while (!current.copied) current = await engine.copyStep(current, 512 * 1024);
  return engine.finishCycle(current);
}

/** Disk images of a VM: current, or at a checkpoint. */
async function images(site: HyperVSite, vmId: string, checkpoint?: Checkpoint): Promise<Record<string, Buffer>> {
  const found = await site.getVm(vmId);
  const result: Record<string, Buffer> = {};
  for (const disk of found!.disks) result[disk.id] = await site.readDisk(vmId, disk.id, checkpoint?.snapshots[disk.id]);
  return result;
}

/** Images of a recovery point's snapshots. */
async function pointImages(site: { blobs: HyperVSite['blobs'] }, point: RecoveryPoint): Promise<Record<string, Buffer>> {
  const result: Record<string, Buffer> = {};
  for (const disk of point.disks) {
    result[disk.diskId] = await site.blobs.getContainerClient(disk.container).getPageBlobClient(disk.replicaBlob).withSnapshot(disk.snapshot).downloadToBuffer(0, disk.sizeBytes);
  }
  return result;
}

/** Number of chunks whose hashes differ between two sets of disk images. */
function differingChunks(a: Record<string, Buffer>, b: Record<string, Buffer>): number {
  let count = 0;
  for (const [diskId, image] of Object.entries(a)) {
    const other = b[diskId]!;
    for (let at = 0; at < image.length; at += CHUNK_SIZE) {
      if (!hashChunk(image.subarray(at, at + CHUNK_SIZE)).equals(hashChunk(other.subarray(at, at + CHUNK_SIZE)))) count++;
    }
  }
  return count;
}

/** The (disk, chunk) pairs a set of writes touched. */
function touchedChunks(writes: readonly ChangeLogEntry[]): Set<string> {
  const touched = new Set<string>();
  for (const w of writes) {
    for (let chunk = Math.floor(w.offset / CHUNK_SIZE); chunk <= Math.floor((w.offset + w.length - 1) / CHUNK_SIZE); chunk++) touched.add(`${w.diskId}:${chunk}`);
  }
  return touched;
}

function expectEqualImages(actual: Record<string, Buffer>, expected: Record<string, Buffer>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  expect(differingChunks(actual, expected)).toBe(0);
}

async function pointSnapshotsOf(site: HyperVSite, blobName: string): Promise<string[]> {
  const found: string[] = [];
  for await (const blob of site.container.listBlobsFlat({ prefix: blobName, includeSnapshots: true, includeMetadata: true })) {
    if (blob.name === blobName && blob.snapshot && blob.metadata?.pointid) found.push(blob.snapshot);
  }
  return found;
}

beforeEach(async () => {
  const clients = createStorageClients(testStorage());
  const recoveryKey = key();
  original = createHyperVSite(clients, { siteKey: key() });
  replicas = createRecoverySite(clients, { siteKey: recoveryKey });
  recoveryVms = createHyperVSite(clients, { siteKey: recoveryKey });
  points = createRecoveryPointStore(clients, { tableName: `t${key()}` });
  await Promise.all([original.ensure(), replicas.ensure(), recoveryVms.ensure(), points.ensure()]);
  forward = createReplicationEngine({
    source: original,
    target: replicas.target,
    points,
  });
  reverse = createReplicationEngine({
    source: recoveryVms,
    target: createBlobReplicaTarget(original.container),
    points,
  });
  itemKey = `item-${key()}`;
  vm = await original.addVm({
    name: 'db-01',
    disks: [
      { sizeBytes: 3 * MiB, contents: { kind: 'random', fraction: 0.5 } },
      { sizeBytes: MiB, contents: { kind: 'pattern', byte: 0x5a } },
    ],
  });
});

afterEach(async () => {
  await original.container.deleteIfExists();
  await replicas.container.deleteIfExists();
  await recoveryVms.container.deleteIfExists();
  await points.table.deleteTable();
});

describe('failover, re-protect, failback and forward again', () => {
  it('moves every byte both ways, sending only differing chunks', async () => {
    const diskBytes = vm.disks.reduce((sum, d) => sum + d.sizeBytes, 0);
    const reverseKey = `${itemKey}-r`;
    const targets = Object.fromEntries(vm.disks.map((d) => [d.id, d.blobName]));
    const leaseId = original.fenceLeaseId(vm.id);

    // Protected: a forward point P, then writes that never reach the recovery site (lost by the unplanned failover).
    await (await runWorkload(original, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 30 })).done;
    const { point: p } = await run(forward, await forward.planInitialReplication({ itemKey, checkpoint: await original.checkpoint(vm.id) }));
    await (await runWorkload(original, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 3 })).done;
    const originalLog = await original.readWriteLog(vm.id);

    // Failover: the recovery VM comes up from P; the original disks are fenced.
    const rvmId = randomUUID();
    await recoveryVms.createVmFromSnapshots({
      id: rvmId,
      name: 'db-01',
      osType: vm.osType,
      generation: vm.generation,
      cpuCount: vm.cpuCount,
      memoryMB: vm.memoryMB,
      origin: { itemKey, pointId: p.id, purpose: 'failover' },
      historySeq: p.seq,
      disks: vmDisksFromPoint(p, vm.disks, (disk) => snapshotSource(replicas.blobs, { container: disk.container, blobName: disk.replicaBlob, snapshot: disk.snapshot })),
    });
    while ((await recoveryVms.vmProvisioning(rvmId)).state === 'Provisioning');
    await original.fence(vm.id);
    expectEqualImages(await images(recoveryVms, rvmId), await pointImages(replicas, p));

    // 1 % of the recovery VM's disks change; re-protect resyncs into the original disks.
    const churnWrites = Math.ceil(diskBytes / 100 / 4096);
    await (await runWorkload(recoveryVms, rvmId, { pattern: 'sequential', writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: churnWrites })).done;
    const c1 = await recoveryVms.checkpoint(rvmId);
    expect(c1.seq).toBe(p.seq + churnWrites);
    const differing = differingChunks(await images(recoveryVms, rvmId, c1), await images(original, vm.id));
    const lost = originalLog.filter((e) => e.seq > p.seq);
    const touched = touchedChunks([...lost, ...(await recoveryVms.readWriteLog(rvmId))]).size;
    expect(differing).toBeGreaterThan(0);
    expect(differing).toBeLessThanOrEqual(touched);
    const { state: resync, point: r1 } = await run(reverse, await reverse.planResync({ itemKey: reverseKey, checkpoint: c1, targets, leaseId }));
    expect(resync.disks.map((d) => d.targetBlob)).toEqual(vm.disks.map((d) => d.blobName));
    expect(resync.chunksUploaded).toBe(differing);
    expect(resync.bytesUploaded + resync.bytesCleared).toBeLessThanOrEqual(differing * CHUNK_SIZE);
    expect(resync.bytesUploaded).toBeLessThanOrEqual(diskBytes / 8);
    expectEqualImages(await images(original, vm.id), await images(recoveryVms, rvmId, c1));
    expect(r1.disks.every((d) => d.container === original.containerName)).toBe(true);
    expect(await reverse.compareWithSource(r1, c1)).toMatchObject({ ok: true });
    expect(await reverse.verifyRecoveryPoint(r1)).toMatchObject({ ok: true });

    // The original host cannot write its fenced disks.
    await expect(runWorkload(original, vm.id)).rejects.toMatchObject({ code: 'VmFenced' });
    await expect(original.diskBlob(vm.disks[0]!).uploadPages(Buffer.alloc(512, 1), 0, 512)).rejects.toMatchObject({ statusCode: 412 });

    // Reverse delta cycles follow the recovery VM's change log.
    await (await runWorkload(recoveryVms, rvmId, { writesPerSecond: 0, writeSizeBytes: 8192, maxWrites: 8 })).done;
    const c2 = await recoveryVms.checkpoint(rvmId);
    const changed = await recoveryVms.readChangeLog(rvmId, c1.seq, c2.seq);
    const delta = await reverse.planDeltaCycle({ itemKey: reverseKey, checkpoint: c2, previous: r1, targets, leaseId });
    expect(delta.disks.map((d) => d.mode)).toEqual(['changeLog', 'changeLog']);
    const { state: deltaDone, point: r2 } = await run(reverse, delta);
    expect(deltaDone.bytesUploaded).toBe(Object.values(changed.disks).reduce((sum, ranges) => sum + totalBytes(ranges), 0));
    expect(await reverse.compareWithSource(r2, c2)).toMatchObject({ ok: true });

    // Failback: the recovery VM shuts down, a final sync, the original VM comes up on its disks.
    await (await runWorkload(recoveryVms, rvmId, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 5 })).done;
    await recoveryVms.shutdown(rvmId);
    const c3 = await recoveryVms.checkpoint(rvmId);
    const { point: r3 } = await run(reverse, await reverse.planDeltaCycle({ itemKey: reverseKey, checkpoint: c3, previous: r2, targets, leaseId }));
    expect(r3.seq).toBe(c3.seq);
    await original.shutdown(vm.id);
    await original.unfence(vm.id, { historySeq: r3.seq });
    await original.start(vm.id);
    const recoveryLog = await recoveryVms.readWriteLog(rvmId);
    const historyAtR3: ChangeLogEntry[] = [...originalLog.filter((e) => e.seq <= p.seq), ...recoveryLog];
    const failedBack = await images(original, vm.id);
    expectEqualImages(failedBack, await pointImages(original, r3));
    expect(verifyPrefixConsistency(failedBack, historyAtR3)).toMatchObject({ consistent: true, seq: r3.seq });

    // Commit: the recovery VM and the reverse points go; the original disks keep only their own snapshots.
    await recoveryVms.removeVm(rvmId);
    for await (const blob of recoveryVms.container.listBlobsFlat()) expect(blob.name).not.toContain(rvmId);
    expect(await points.delete(reverseKey, r1.id)).toBe('deleted');
    for (const disk of vm.disks) expect(await pointSnapshotsOf(original, disk.blobName)).toHaveLength(2);
    while (!(await reverse.deleteReplicas(reverseKey, { targets: Object.values(targets), maxBlobs: 2 })).done);
    expect((await points.deleteItemRows(reverseKey)).done).toBe(true);
    for (const disk of vm.disks) expect(await pointSnapshotsOf(original, disk.blobName)).toEqual([]);
    for await (const blob of original.container.listBlobsFlat()) expect(blob.name).toMatch(/^(vms|disks|log)\//);

    // Forward again: a resync into the old replicas sends only the chunks the recovery VM changed.
    const c4 = await original.checkpoint(vm.id);
    expect(c4.seq).toBe(r3.seq);
    const replicaImages: Record<string, Buffer> = {};
    for (const disk of vm.disks) replicaImages[disk.id] = await replicas.container.getPageBlobClient(replicaBlobName(itemKey, disk.id)).downloadToBuffer(0, disk.sizeBytes);
    const forwardDiffering = differingChunks(await images(original, vm.id, c4), replicaImages);
    expect(forwardDiffering).toBeGreaterThan(0);
    const { state: again, point: f1 } = await run(forward, await forward.planResync({ itemKey, checkpoint: c4 }));
    expect(again.chunksUploaded).toBe(forwardDiffering);
    expect(again.bytesUploaded).toBeLessThanOrEqual(touchedChunks(recoveryLog).size * CHUNK_SIZE);
    expect(await forward.compareWithSource(f1, c4)).toMatchObject({ ok: true });

    // And the original VM's own writes continue the history, replicated by the change log again.
    const resumed = await (await runWorkload(original, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 6 })).done;
    expect(resumed.firstSeq).toBe(r3.seq + 1);
    const c5 = await original.checkpoint(vm.id);
    const next = await forward.planDeltaCycle({ itemKey, checkpoint: c5, previous: f1 });
    expect(next.disks.map((d) => d.mode)).toEqual(['changeLog', 'changeLog']);
    const { point: f2 } = await run(forward, next);
    expect(await forward.compareWithSource(f2, c5)).toMatchObject({ ok: true });
    const fullHistory = [...historyAtR3, ...(await original.readWriteLog(vm.id))];
    expect(verifyPrefixConsistency(await pointImages(replicas, f2), fullHistory)).toMatchObject({ consistent: true, seq: c5.seq });
  });

  it('refuses a plan whose targets miss a disk', async () => {
    const checkpoint = await original.checkpoint(vm.id);
    await expect(forward.planResync({ itemKey, checkpoint, targets: { [vm.disks[0]!.id]: vm.disks[0]!.blobName } })).rejects.toThrow(/No target blob/);
  });
});
