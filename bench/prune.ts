/**
 * Pruning benchmark, in process on the recovery-point store the timer uses (`pruneItems`, what
 * `pruneRecoveryPoints` runs over every item): 100 items with 20 points each past a 24-hour
 * retention (each point a real replica snapshot and manifest), pruned at once. (Azurite looks a
 * blob up by scanning its container, so each delete costs more the more blobs there are: 2 000
 * points keep the phase to a minute; the rate is the figure.)
 * - `pruneRatePerSecond`: expired points deleted per second (goal ≥ 500);
 * - `pruneRetainedCostRatio`: the same prune over items that also keep 10× more points within
 *   retention, timed against one with few kept (goal ≈ 1: the cost follows what expired).
 */
import { randomUUID } from 'node:crypto';
import { inPool } from '../shared/inPool.js';
import { pruneItems, type PruneTarget } from '../shared/protection/sweepProtectedItems.js';
import { recoveryPointId, type RecoveryPoint } from '../shared/replication/recoveryPoint.js';
import { createRecoveryPointStore, type RecoveryPointStore } from '../shared/replication/recoveryPointStore.js';
import { createStorageClients, type StorageClients } from '../shared/storage/clients.js';

export interface PruneBenchResult {
  pruneRatePerSecond: number;
  pruneRetainedCostRatio: number;
}

const ITEMS = 100;
const EXPIRED_PER_ITEM = 20;
const RETENTION_HOURS = 24;
const HOUR = 3_600_000;
const quiet = { log: () => undefined, warn: (...args: unknown[]) => console.warn(...args) };

/** Items with `expired` points past retention (snapshots and manifests in storage) and `kept` within the last hour. */
async function seed(clients: StorageClients, store: RecoveryPointStore, now: Date, kept: number): Promise<PruneTarget[]> {
  const container = clients.blobs.getContainerClient(`prune-${randomUUID().slice(0, 8)}`);
  await container.create();
  const targets: PruneTarget[] = Array.from({ length: ITEMS }, (_, i) => ({ itemKey: randomUUID().replaceAll('-', ''), friendlyName: `vm-${i}`, retentionHours: RETENTION_HOURS }));
  await inPool(targets, 8, async (target) => {
    const replica = container.getPageBlobClient(`replicas/${target.itemKey}.vhd`);
    await replica.create(1024 * 1024);
    const points: RecoveryPoint[] = [];
    for (let p = 0; p < EXPIRED_PER_ITEM; p++) {
      const time = new Date(now.getTime() - (RETENTION_HOURS + 1) * HOUR - p * 60_000).toISOString();
      const id = recoveryPointId(time, randomUUID().replaceAll('-', ''));
      const manifestBlob = `manifests/${target.itemKey}/${id}.bin`;
      const [{ snapshot }] = await Promise.all([replica.createSnapshot(), container.getBlockBlobClient(manifestBlob).upload('m', 1)]);
      points.push({ id, itemKey: target.itemKey, time, type: 'CrashConsistent', seq: p, disks: [{ diskId: 'd0', container: container.containerName, replicaBlob: replica.name, snapshot: snapshot ?? '', manifestBlob, sizeBytes: 1024 * 1024 }] });
    }
    for (let p = 0; p < kept; p++) {
      const time = new Date(now.getTime() - 30 * 60_000 - p * 1_000).toISOString();
      points.push({ id: recoveryPointId(time, randomUUID().replaceAll('-', '')), itemKey: target.itemKey, time, type: 'CrashConsistent', seq: EXPIRED_PER_ITEM + p, disks: [] });
    }
    await inPool(points, 4, async (point) => {
      await store.add(point);
    });
  });
  return targets;
}

/** Seconds the prune of `targets` took, checking it deleted every expired point. */
async function timePrune(store: RecoveryPointStore, targets: PruneTarget[], now: Date): Promise<number> {
  const began = performance.now();
  const deleted = await pruneItems(store, targets, now, quiet);
  const seconds = (performance.now() - began) / 1000;
  if (deleted !== ITEMS * EXPIRED_PER_ITEM) throw new Error(`The prune deleted ${deleted} points, not ${ITEMS * EXPIRED_PER_ITEM}.`);
  return seconds;
}

export async function runPruneBench(connectionString: string, options: { print?: boolean } = {}): Promise<PruneBenchResult> {
  const clients = createStorageClients(connectionString);
  const store = createRecoveryPointStore(clients, { tableName: `prune${randomUUID().replaceAll('-', '').slice(0, 12)}` });
  await store.ensure();
  const now = new Date();
  const few = await seed(clients, store, now, EXPIRED_PER_ITEM / 10);
  const fewSeconds = await timePrune(store, few, now);
  const many = await seed(clients, store, now, EXPIRED_PER_ITEM * 10);
  const manySeconds = await timePrune(store, many, now);
  const result: PruneBenchResult = { pruneRatePerSecond: (ITEMS * EXPIRED_PER_ITEM) / fewSeconds, pruneRetainedCostRatio: manySeconds / fewSeconds };
  if (options.print !== false) {
    console.table([
      { measure: `prune ${ITEMS * EXPIRED_PER_ITEM} expired points of ${ITEMS} items (${EXPIRED_PER_ITEM / 10} kept each)`, value: `${fewSeconds.toFixed(2)} s`, goal: '' },
      { measure: 'points pruned per second (pruneRatePerSecond)', value: result.pruneRatePerSecond.toFixed(0), goal: '≥ 500' },
      { measure: `the same with ${EXPIRED_PER_ITEM * 10} kept each`, value: `${manySeconds.toFixed(2)} s`, goal: '' },
      { measure: 'cost with 10× more kept ÷ cost with few (pruneRetainedCostRatio)', value: result.pruneRetainedCostRatio.toFixed(2), goal: '≈ 1' },
    ]);
  }
  return result;
}
