import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prunePoints } from '../../../shared/replication/prunePoints.js';
import { recoveryPointId, type RecoveryPoint } from '../../../shared/replication/recoveryPoint.js';
import { createRecoveryPointStore, type TableRecoveryPointStore } from '../../../shared/replication/recoveryPointStore.js';
import { selectPointsToPrune } from '../../../shared/replication/selectPointsToPrune.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

const itemKey = 'item1';
const start = Date.parse('2026-01-10T00:00:00.000Z');
let store: TableRecoveryPointStore;

function makePoint(minute: number): RecoveryPoint {
  const time = new Date(start + minute * 60_000).toISOString();
  return { id: recoveryPointId(time, randomUUID().replaceAll('-', '')), itemKey, time, type: 'CrashConsistent', seq: minute, disks: [] };
}

async function all(): Promise<RecoveryPoint[]> {
  const points: RecoveryPoint[] = [];
  for await (const point of store.list(itemKey)) points.push(point);
  return points;
}

beforeEach(async () => {
  store = createRecoveryPointStore(createStorageClients(testStorage()), { tableName: `t${randomUUID().replaceAll('-', '')}` });
  await store.ensure();
});
afterEach(async () => {
  await store.table.deleteTable();
});

describe('recovery point store and prunePoints', () => {
  it('lists newest first, in pages, and finds the latest application-consistent point', async () => {
    const points = [0, 5, 10, 15, 20].map(makePoint);
    points[1]!.type = 'ApplicationConsistent';
    for (const point of points) await store.add(point);
    await store.add(points[0]!);
    expect((await all()).map((p) => p.seq)).toEqual([20, 15, 10, 5, 0]);
    const pages: number[][] = [];
    for await (const page of store.list(itemKey).byPage({ maxPageSize: 2 })) pages.push(page.map((p) => p.seq));
    expect(pages.flat()).toEqual([20, 15, 10, 5, 0]);
    expect(pages[0]).toEqual([20, 15]);
    expect((await store.latest(itemKey))?.seq).toBe(20);
    expect((await store.latestApplicationConsistent(itemKey))?.seq).toBe(5);
    expect(await store.get(itemKey, "x' or '1'='1")).toBeUndefined();
  });

  it('pins and unpins conditionally; a pinned point is not deleted', async () => {
    const point = makePoint(0);
    await store.add(point);
    await Promise.all([store.pin(itemKey, point.id, 'job-a'), store.pin(itemKey, point.id, 'job-b')]);
    expect((await store.get(itemKey, point.id))?.pinnedBy?.sort()).toEqual(['job-a', 'job-b']);
    expect(await store.delete(itemKey, point.id)).toBe('pinned');
    await store.unpin(itemKey, point.id, 'job-a');
    await store.unpin(itemKey, point.id, 'job-b');
    expect(await store.delete(itemKey, point.id)).toBe('deleted');
    expect(await store.delete(itemKey, point.id)).toBe('missing');
    expect(await store.pin(itemKey, point.id, 'job-c')).toBeUndefined();
  });

  it('deletes exactly what the selection says, reading only what it may delete', async () => {
    // a point every 10 minutes for 30 hours; retention 24 h
    const points = Array.from({ length: 180 }, (_, i) => makePoint(i * 10));
    for (const point of points) await store.add(point);
    await store.pin(itemKey, points[3]!.id, 'tfo');
    const pinned = { ...points[3]!, pinnedBy: ['tfo'] };
    let now = new Date(start + 30 * 3_600_000);
    const expected = selectPointsToPrune(points.map((p, i) => (i === 3 ? pinned : p)), now, { retentionHours: 24 });
    const first = await prunePoints(store, itemKey, now, { retentionHours: 24 });
    expect(first.deleted.sort()).toEqual(expected.map((p) => p.id).sort());
    const left = await all();
    expect(left.map((p) => p.id).sort()).toEqual(points.filter((p) => !expected.includes(p)).map((p) => p.id).sort());
    expect(left.some((p) => p.id === points[3]!.id)).toBe(true);

    // 30 minutes later, three new points arrive; the next run reads only the recent hour band and the old tail
    for (const minute of [1800, 1810, 1820]) await store.add(makePoint(minute));
    now = new Date(now.getTime() + 30 * 60_000);
    const before = await all();
    const second = await prunePoints(store, itemKey, now, { retentionHours: 24 });
    const expectedSecond = selectPointsToPrune(before, now, { retentionHours: 24 });
    expect(second.deleted.sort()).toEqual(expectedSecond.map((p) => p.id).sort());
    expect(second.examined).toBeLessThan(before.length / 2);
    expect(second.examined).toBeLessThanOrEqual(second.deleted.length + 12);
  });

  it('deletes listed points many per request: their snapshots and manifests go, a point pinned since it was listed stays', async () => {
    const clients = createStorageClients(testStorage());
    const container = clients.blobs.getContainerClient(`c${randomUUID().replaceAll('-', '')}`);
    await container.create();
    try {
      const replica = container.getPageBlobClient('replicas/item1/disk-0.vhd');
      await replica.create(4096);
      const points: RecoveryPoint[] = [];
      for (let i = 0; i < 130; i++) {
        const point = makePoint(i);
        const manifestBlob = `manifests/item1/disk-0/${point.id}.bin`;
        await container.getBlockBlobClient(manifestBlob).upload('m', 1);
        const { snapshot } = await replica.createSnapshot();
        points.push({ ...point, disks: [{ diskId: 'disk-0', container: container.containerName, replicaBlob: replica.name, snapshot: snapshot!, manifestBlob, sizeBytes: 4096 }] });
      }
      for (const point of points) await store.add(point);
      const listed = await all();
      const keep = listed[7]!;
      await store.pin(itemKey, keep.id, 'tfo');

      const outcomes = await store.deleteMany(itemKey, listed);
      expect(outcomes.get(keep.id)).toBe('pinned');
      expect([...outcomes.values()].filter((outcome) => outcome === 'deleted')).toHaveLength(129);
      expect((await all()).map((p) => p.id)).toEqual([keep.id]);
      const left: string[] = [];
      for await (const blob of container.listBlobsFlat({ includeSnapshots: true })) left.push(blob.snapshot ? `snapshot ${blob.snapshot}` : blob.name);
      const kept = keep.disks[0]!;
      expect(left.sort()).toEqual([kept.manifestBlob, replica.name, `snapshot ${kept.snapshot}`].sort());
      expect(await store.deleteMany(itemKey, listed.slice(0, 3))).toEqual(new Map(listed.slice(0, 3).map((p) => [p.id, p.id === keep.id ? 'pinned' : 'missing'])));
    } finally {
      await container.delete();
    }
  });
});
