import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { totalBytes } from '../../../shared/site/byteRanges.js';
import { createHyperVSite, type HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { runWorkload } from '../../../shared/site/hyperv/runWorkload.js';
import type { Checkpoint, SiteVm } from '../../../shared/site/types.js';
import { verifyPrefixConsistency } from '../../../shared/site/hyperv/verifyPrefixConsistency.js';
import { CHUNK_SIZE } from '../../../shared/replication/chunks.js';
import { CycleEndedError } from '../../../shared/replication/CycleEndedError.js';
import type { CycleState } from '../../../shared/replication/cycleState.js';
import { createRecoveryPointStore, type TableRecoveryPointStore } from '../../../shared/replication/recoveryPointStore.js';
import { createRecoverySite, type RecoverySite } from '../../../shared/replication/recoverySite.js';
import { createReplicationEngine, type ReplicationEngine } from '../../../shared/replication/replicationEngine.js';
import type { ReplicaTarget } from '../../../shared/replication/replicaTarget.js';
import type { RecoveryPoint } from '../../../shared/replication/recoveryPoint.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const key = (): string => randomUUID().replaceAll('-', '').slice(0, 20);

let site: HyperVSite;
let recovery: RecoverySite;
let points: TableRecoveryPointStore;
let engine: ReplicationEngine;
let vm: SiteVm;
let itemKey: string;

function makeEngine(withLog = true): ReplicationEngine {
  return createReplicationEngine({
    source: withLog ? site : { allocatedRangesAt: site.allocatedRangesAt, readAt: site.readAt },
    target: recovery.target,
    points,
  });
}

async function run(state: CycleState, budget = 256 * 1024, using = engine): Promise<{ state: CycleState; point: RecoveryPoint }> {
  let current = state;
  while (!current.copied) current = await using.copyStep(current, budget);
  return using.finishCycle(current);
}

async function replicaImages(point: RecoveryPoint): Promise<Record<string, Buffer>> {
  const images: Record<string, Buffer> = {};
  for (const disk of point.disks) {
    images[disk.diskId] = await recovery.container.getPageBlobClient(disk.replicaBlob).withSnapshot(disk.snapshot).downloadToBuffer(0, disk.sizeBytes);
  }
  return images;
}

async function protect(): Promise<{ checkpoint: Checkpoint; point: RecoveryPoint }> {
  const checkpoint = await site.checkpoint(vm.id);
  const { point } = await run(await engine.planInitialReplication({ itemKey, checkpoint }));
  return { checkpoint, point };
}

beforeEach(async () => {
  const clients = createStorageClients(testStorage());
  site = createHyperVSite(clients, { siteKey: key() });
  recovery = createRecoverySite(clients, { siteKey: key() });
  points = createRecoveryPointStore(clients, { tableName: `t${key()}` });
  await Promise.all([site.ensure(), recovery.ensure(), points.ensure()]);
  engine = makeEngine();
  itemKey = `item-${key()}`;
  vm = await site.addVm({
    name: 'db-01',
    disks: [
      { sizeBytes: 3 * MiB, contents: { kind: 'random', fraction: 0.5 } },
      { sizeBytes: 2 * MiB + 512 * 3, contents: { kind: 'pattern', byte: 0x5a } },
    ],
  });
});

afterEach(async () => {
  await site.container.deleteIfExists();
  await recovery.container.deleteIfExists();
  await points.table.deleteTable();
});

describe('replication engine', () => {
  it('replicates a 2-disk VM initially while it writes: the point equals the checkpoint and is prefix-consistent', async () => {
    const workload = await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 8192 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const checkpoint = await site.checkpoint(vm.id);
    const planned = await engine.planInitialReplication({ itemKey, checkpoint });
    expect(planned.bytesTotal).toBeGreaterThan(0);
    const { state, point } = await run(planned);
    await workload.stop();
    expect(state.bytesDone).toBe(state.bytesTotal);
    expect(state.steps).toBeGreaterThan(5);
    expect(point).toMatchObject({ itemKey, time: checkpoint.time, seq: checkpoint.seq, type: 'CrashConsistent' });
    expect(await engine.compareWithSource(point, checkpoint)).toMatchObject({ ok: true });
    expect(await engine.verifyRecoveryPoint(point)).toMatchObject({ ok: true });
    const log = await site.readWriteLog(vm.id);
    expect(verifyPrefixConsistency(await replicaImages(point), log)).toMatchObject({ consistent: true, seq: checkpoint.seq });
    expect((await points.latest(itemKey))?.id).toBe(point.id);
  });

  it('a delta cycle uploads only the changed bytes and equals the source', async () => {
    const first = await protect();
    const workload = await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 64 * 1024, maxWrites: 12 });
    await workload.done;
    const checkpoint = await site.checkpoint(vm.id, { applicationConsistent: true });
    const changed = await site.readChangeLog(vm.id, first.point.seq, checkpoint.seq);
    const changedBytes = Object.values(changed.disks).reduce((sum, ranges) => sum + totalBytes(ranges), 0);
    const planned = await engine.planDeltaCycle({ itemKey, checkpoint, previous: first.point });
    expect(planned.disks.map((d) => d.mode)).toEqual(['changeLog', 'changeLog']);
    const { state, point } = await run(planned);
    expect(state.bytesUploaded).toBe(changedBytes);
    expect(point.type).toBe('ApplicationConsistent');
    expect(await engine.compareWithSource(point, checkpoint)).toMatchObject({ ok: true });
    expect(await engine.verifyRecoveryPoint(point)).toMatchObject({ ok: true });
    expect(await engine.compareWithSource(first.point, first.checkpoint)).toMatchObject({ ok: true });
    expect((await points.latestApplicationConsistent(itemKey))?.id).toBe(point.id);
  });

  it('without a change log, hashes against the manifest and uploads only changed chunks', async () => {
    const first = await protect();
    const blob = site.diskBlob(vm.disks[1]!);
    await blob.uploadPages(randomBytes(1024), 5 * CHUNK_SIZE + 512, 1024);
    await blob.uploadPages(Buffer.alloc(CHUNK_SIZE, 0x5a), 7 * CHUNK_SIZE, CHUNK_SIZE);
    const checkpoint = await site.checkpoint(vm.id);
    const noLog = makeEngine(false);
    const planned = await noLog.planDeltaCycle({ itemKey, checkpoint, previous: first.point });
    expect(planned.disks.map((d) => d.mode)).toEqual(['pageRanges', 'pageRanges']);
    const { state, point } = await run(planned, 1 * MiB, noLog);
    expect(state.chunksUploaded).toBe(1);
    expect(state.bytesUploaded).toBe(CHUNK_SIZE);
    expect(await noLog.compareWithSource(point, checkpoint)).toMatchObject({ ok: true });
  });

  it('gives the same result when steps are duplicated and re-run', async () => {
    const first = await protect();
    await (await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 40 })).done;
    const checkpoint = await site.checkpoint(vm.id);
    const planned = await engine.planDeltaCycle({ itemKey, checkpoint, previous: first.point });
    const replanned = await engine.planDeltaCycle({ itemKey, checkpoint, previous: first.point });
    expect(replanned.cycleId).toBe(planned.cycleId);
    let state = replanned;
    while (!state.copied) {
      const once = await engine.copyStep(state, 64 * 1024);
      const twice = await engine.copyStep(state, 64 * 1024);
      expect(twice).toEqual(once);
      state = twice;
    }
    const finished = await engine.finishCycle(state);
    const again = await engine.finishCycle(state);
    expect(again.point).toEqual(finished.point);
    // as if the first finish had crashed after snapshotting, before recording the point
    await points.table.deleteEntity(itemKey, finished.point.id);
    const redone = await engine.finishCycle(state);
    expect(redone.point).toEqual(finished.point);
    expect(await engine.compareWithSource(finished.point, checkpoint)).toMatchObject({ ok: true });
    expect(await engine.verifyRecoveryPoint(finished.point)).toMatchObject({ ok: true });
    const all: RecoveryPoint[] = [];
    for await (const point of points.list(itemKey)) all.push(point);
    expect(all.map((p) => p.id)).toEqual([finished.point.id, first.point.id]);
    const snapshots: string[] = [];
    for await (const blob of recovery.container.listBlobsFlat({ prefix: 'replicas/', includeSnapshots: true })) if (blob.snapshot) snapshots.push(blob.snapshot);
    expect(snapshots).toHaveLength(4);
  });

  it('a planning step that loses its race changes nothing on the replica (a late duplicate of the initial planning)', async () => {
    const checkpoint = await site.checkpoint(vm.id);
    const { point } = await run(await engine.planInitialReplication({ itemKey, checkpoint }));
    // The duplicate planned from a checkpoint of its own after the point was recorded, then lost the item's write.
    const late = await engine.planInitialReplication({ itemKey, checkpoint: await site.checkpoint(vm.id) });
    await engine.abandonCycle(late);
    await (await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 64 * 1024, maxWrites: 12 })).done;
    const next = await site.checkpoint(vm.id);
    const planned = await engine.planDeltaCycle({ itemKey, checkpoint: next, previous: point });
    expect(planned.disks.map((d) => d.mode)).toEqual(['changeLog', 'changeLog']);
    const delta = await run(planned);
    expect(await engine.verifyRecoveryPoint(delta.point)).toMatchObject({ ok: true });
    expect(await engine.compareWithSource(delta.point, next)).toMatchObject({ ok: true });
  });

  it('a copy step delivered after its cycle ended writes nothing over the next cycle', async () => {
    const first = await protect();
    await (await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 64 * 1024, maxWrites: 12 })).done;
    const planned = await engine.planDeltaCycle({ itemKey, checkpoint: await site.checkpoint(vm.id), previous: first.point });
    // A duplicate of the cycle's first step: it has read its plan, and its lease request is held up
    // (storage answering slowly) until the next cycle has ended.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const target = recovery.target;
    const slowTarget: ReplicaTarget = {
      ...target,
      disk: (name) => {
        const disk = target.disk(name);
        return { ...disk, acquireLease: async (leaseId, seconds) => (await held, disk.acquireLease(leaseId, seconds)) };
      },
    };
    const late = createReplicationEngine({ source: site, target: slowTarget, points }).copyStep(planned, 64 * 1024);
    const { point } = await run(planned);
    await (await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 64 * 1024, maxWrites: 12 })).done;
    const checkpoint = await site.checkpoint(vm.id);
    const second = await run(await engine.planDeltaCycle({ itemKey, checkpoint, previous: point }));
    release();
    await expect(late).rejects.toBeInstanceOf(CycleEndedError);
    // Started after the cycle ended, a step finds no plan.
    await expect(engine.copyStep(planned, 64 * 1024)).rejects.toBeInstanceOf(CycleEndedError);
    for (const disk of second.point.disks) {
      const replica = recovery.target.disk(disk.replicaBlob);
      expect((await replica.info()).cycleMark).toBeUndefined();
      // The late step let go of the lease it took again, so the next cycle need not wait for it.
      expect(await replica.acquireLease(randomUUID(), 15)).toBe(true);
      const blob = recovery.container.getPageBlobClient(disk.replicaBlob);
      expect(sha256(await blob.downloadToBuffer(0, disk.sizeBytes))).toBe(sha256(await blob.withSnapshot(disk.snapshot).downloadToBuffer(0, disk.sizeBytes)));
    }
  });

  it('a duplicate finish that lists the hashes after the first finish deleted them keeps the first manifests', async () => {
    const checkpoint = await site.checkpoint(vm.id);
    let copied = await engine.planInitialReplication({ itemKey, checkpoint });
    while (!copied.copied) copied = await engine.copyStep(copied, 256 * 1024);
    // The duplicate checks for a manifest (none yet), then its listing of the step hashes is held up
    // until the first finish has recorded the point and deleted the cycle's plan with its hashes.
    let release = (): void => undefined;
    let reached = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const listing = new Promise<void>((resolve) => (reached = resolve));
    const target = recovery.target;
    const slowTarget: ReplicaTarget = {
      ...target,
      async *list(prefix) {
        reached();
        await held;
        yield* target.list(prefix);
      },
    };
    const late = createReplicationEngine({ source: site, target: slowTarget, points }).finishCycle(copied);
    await listing;
    const first = await engine.finishCycle(copied);
    release();
    expect((await late).point).toEqual(first.point);
    expect(await engine.verifyRecoveryPoint(first.point)).toMatchObject({ ok: true });
    expect(await engine.compareWithSource(first.point, checkpoint)).toMatchObject({ ok: true });
  });

  it('a delta after an abandoned cycle compares with the replica instead of trusting the manifest', async () => {
    const first = await protect();
    await (await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 20 })).done;
    const abandoned = await engine.planDeltaCycle({ itemKey, checkpoint: await site.checkpoint(vm.id), previous: first.point });
    await engine.abandonCycle(await engine.copyStep(abandoned, 64 * 1024));
    await (await runWorkload(site, vm.id, { writesPerSecond: 0, writeSizeBytes: 4096, maxWrites: 20 })).done;
    const checkpoint = await site.checkpoint(vm.id);
    const planned = await engine.planDeltaCycle({ itemKey, checkpoint, previous: first.point });
    expect(planned.disks.some((d) => d.mode === 'hashCompare')).toBe(true);
    const { point } = await run(planned);
    expect(await engine.compareWithSource(point, checkpoint)).toMatchObject({ ok: true });
  });

  it('resync after corrupting a replica chunk repairs exactly that chunk', async () => {
    const { checkpoint, point } = await protect();
    const replica = recovery.container.getPageBlobClient(point.disks[1]!.replicaBlob);
    await replica.uploadPages(randomBytes(4096), 9 * CHUNK_SIZE + 8192, 4096);
    expect((await engine.verifyRecoveryPoint(point)).ok).toBe(true);
    const manifest = recovery.container.getBlockBlobClient(point.disks[1]!.manifestBlob);
    const original = await manifest.downloadToBuffer();
    const tampered = Buffer.from(original);
    tampered.writeUInt8(tampered.readUInt8(24 + 3 * 20 + 4) ^ 0xff, 24 + 3 * 20 + 4);
    await manifest.upload(tampered, tampered.length);
    const unverified = createReplicationEngine({ source: site, target: recovery.target, points });
    expect(await unverified.verifyRecoveryPoint(point)).toMatchObject({ ok: false, disks: [{ mismatchedChunks: [] }, { mismatchedChunks: [3] }] });
    await manifest.upload(original, original.length);
    const planned = await engine.planResync({ itemKey, checkpoint });
    const { state, point: repaired } = await run(planned, 1 * MiB);
    expect(state.chunksUploaded).toBe(1);
    expect(state.bytesUploaded).toBe(CHUNK_SIZE);
    expect(await engine.compareWithSource(repaired, checkpoint)).toMatchObject({ ok: true });
  });

  it('a VM with no write since its point gets a new point without a checkpoint; a write, a resized or marked replica needs one', async () => {
    const { checkpoint, point } = await protect();
    await site.deleteCheckpoint(checkpoint);
    const unchanged = await site.unchangedSince(vm.id, point.seq);
    expect(unchanged).toMatchObject({ vmId: vm.id, seq: point.seq, applicationConsistent: false });
    expect(unchanged!.disks.map((d) => d.snapshot)).toEqual(['', '']);
    expect(await site.unchangedSince(vm.id, point.seq + 1)).toBeUndefined();

    const planned = await engine.planQuietCycle({ itemKey, checkpoint: unchanged!, previous: point });
    expect(planned).toMatchObject({ kind: 'delta', bytesTotal: 0, copied: true });
    const { point: quiet } = await run(planned!);
    expect(quiet).toMatchObject({ seq: point.seq, time: unchanged!.time });
    expect(quiet.id).not.toBe(point.id);
    expect(await engine.verifyRecoveryPoint(quiet)).toMatchObject({ ok: true });
    expect(Object.values(await replicaImages(quiet)).map(sha256)).toEqual(Object.values(await replicaImages(point)).map(sha256));
    // Deleting a quiet cycle's checkpoint deletes nothing: the source disks and their data stay.
    await site.deleteCheckpoint(unchanged!);
    for (const disk of vm.disks) expect((await site.container.getPageBlobClient(disk.blobName).getProperties()).contentLength).toBe(disk.sizeBytes);
    const fresh = await site.checkpoint(vm.id);
    expect(await engine.compareWithSource(quiet, fresh)).toMatchObject({ ok: true });
    await site.deleteCheckpoint(fresh);

    // A replica holding a partly applied cycle, or of another size, is compared against a real checkpoint.
    const replica = recovery.target.disk(point.disks[0]!.replicaBlob);
    const leaseId = randomUUID();
    expect(await replica.acquireLease(leaseId, 15)).toBe(true);
    await replica.setCycleMark('someothercycle', leaseId);
    expect(await engine.planQuietCycle({ itemKey, checkpoint: (await site.unchangedSince(vm.id, quiet.seq))!, previous: quiet })).toBeUndefined();
    await replica.setCycleMark(undefined, leaseId);
    await replica.resize(4 * MiB, leaseId);
    expect(await engine.planQuietCycle({ itemKey, checkpoint: (await site.unchangedSince(vm.id, quiet.seq))!, previous: quiet })).toBeUndefined();
    await replica.releaseLease(leaseId);

    // One write, and the VM is no longer unchanged since the point.
    const workload = await runWorkload(site, vm.id, { maxWrites: 1, writesPerSecond: 0 });
    await workload.done;
    expect(await site.unchangedSince(vm.id, quiet.seq)).toBeUndefined();
    expect(await site.unchangedSince(vm.id, quiet.seq + 1)).toBeDefined();
    // A disk gone from the site needs a real checkpoint (which reports it).
    await site.container.getPageBlobClient(vm.disks[1]!.blobName).delete({ deleteSnapshots: 'include' });
    expect(await site.unchangedSince(vm.id, quiet.seq + 1)).toBeUndefined();
  });

  it('deleteReplicas removes replicas, snapshots, manifests and plans, a replica a lease still holds too', async () => {
    const { point } = await protect();
    // A cycle that crashed left its lease on a replica.
    await recovery.container.getPageBlobClient(point.disks[0]!.replicaBlob).getBlobLeaseClient().acquireLease(60);
    expect(await engine.deleteReplicas(itemKey, { maxBlobs: 1 })).toEqual({ done: false });
    while (!(await engine.deleteReplicas(itemKey)).done);
    const left: string[] = [];
    for await (const blob of recovery.container.listBlobsFlat({ includeSnapshots: true })) left.push(blob.name);
    expect(left).toEqual([]);
    expect((await points.deleteItemRows(itemKey)).done).toBe(true);
    expect(await points.latest(itemKey)).toBeUndefined();
  });
});
