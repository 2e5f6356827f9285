/**
 * Replication benchmark, on one storage account side by side:
 * - initial replication throughput of a 256 MiB random disk ÷ a plain SDK copy of the same bytes
 *   (4 MiB downloads + uploadPages, same concurrency), medians of 3 alternating rounds — goal ≥ 0.95;
 * - bytes uploaded by a delta cycle ÷ bytes changed, for 1 % churn in 64 KiB writes — goal ≤ 1.05;
 * - that delta cycle's time (checkpoint to recovery point) ÷ the initial replication's — goal ≤ 0.1.
 */
import { randomUUID } from 'node:crypto';
import { inPool } from '../shared/inPool.js';
import { createRecoveryPointStore } from '../shared/replication/recoveryPointStore.js';
import { createRecoverySite } from '../shared/replication/recoverySite.js';
import { createReplicationEngine, type ReplicationEngine } from '../shared/replication/replicationEngine.js';
import type { CycleState } from '../shared/replication/cycleState.js';
import { totalBytes } from '../shared/site/byteRanges.js';
import { createHyperVSite } from '../shared/site/hyperv/hyperVSite.js';
import { runWorkload } from '../shared/site/hyperv/runWorkload.js';
import { createStorageClients } from '../shared/storage/clients.js';

export interface ReplicationBenchResult {
  initialThroughputRatio: number;
  deltaUploadRatio: number;
  deltaCycleTimeRatio: number;
}

const MiB = 1024 * 1024;
const DISK_BYTES = 256 * MiB;
const PIECE = 4 * MiB;
const CONCURRENCY = 4;
const BUDGET = 32 * MiB;
const WRITE = 64 * 1024;
const ROUNDS = 3;

async function runCycle(engine: ReplicationEngine, state: CycleState): Promise<CycleState> {
  let current = state;
  while (!current.copied) current = await engine.copyStep(current, BUDGET);
  return (await engine.finishCycle(current)).state;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

export interface ReplicationBenchOptions {
  /** Print the table (default true); off when the caller prints JSON only. */
  print?: boolean;
}

/** Runs the benchmark against a storage account and prints a table; returns the three ratios. */
export async function runReplicationBench(connectionString: string, options: ReplicationBenchOptions = {}): Promise<ReplicationBenchResult> {
  const clients = createStorageClients(connectionString);
  const suffix = randomUUID().replaceAll('-', '').slice(0, 16);
  const site = createHyperVSite(clients, { siteKey: `bench${suffix}` });
  const recovery = createRecoverySite(clients, { siteKey: `bench${suffix}` });
  const points = createRecoveryPointStore(clients, { tableName: `bench${suffix}` });
  await Promise.all([site.ensure(), recovery.ensure(), points.ensure()]);
  const engine = createReplicationEngine({
    source: site,
    target: recovery.target,
    points,
    concurrency: CONCURRENCY,
  });
  try {
    const vm = await site.addVm({ name: 'bench-01', disks: [{ sizeBytes: DISK_BYTES, contents: { kind: 'random', fraction: 1 } }] });
    const checkpoint = await site.checkpoint(vm.id);
    const disk = checkpoint.disks[0]!;
    const source = site.container.getPageBlobClient(disk.blobName).withSnapshot(disk.snapshot);

    const plainCopy = async (name: string): Promise<number> => {
      const target = recovery.container.getPageBlobClient(name);
      await target.create(DISK_BYTES);
      const pieces = Array.from({ length: DISK_BYTES / PIECE }, (_, i) => i * PIECE);
      const began = performance.now();
      await inPool(pieces, CONCURRENCY, async (offset) => {
        const data = await source.downloadToBuffer(offset, PIECE);
        await target.uploadPages(data, offset, PIECE);
      });
      const elapsed = performance.now() - began;
      await target.delete();
      return elapsed;
    };
    const initial = async (round: number): Promise<number> => {
      const began = performance.now();
      await runCycle(engine, await engine.planInitialReplication({ itemKey: `bench-${round}`, checkpoint }));
      return performance.now() - began;
    };
    const runs = (list: number[]): string => list.map(seconds).join(' / ');

    // alternate the two copies so neither gets a warmer or fuller store; compare the medians
    const plainRuns: number[] = [];
    const initialRuns: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      plainRuns.push(await plainCopy(`plain-${round}`));
      initialRuns.push(await initial(round));
      if (round < ROUNDS) while (!(await engine.deleteReplicas(`bench-${round}`)).done);
    }
    const median = (list: number[]): number => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    const plainMs = median(plainRuns);
    const initialMs = median(initialRuns);

    const writes = Math.round((DISK_BYTES * 0.01) / WRITE);
    const workload = await runWorkload(site, vm.id, { writeSizeBytes: WRITE, writesPerSecond: 0, maxWrites: writes });
    await workload.done;
    const previous = (await points.latest(`bench-${ROUNDS}`))!;
    const deltaBegan = performance.now();
    const next = await site.checkpoint(vm.id);
    const delta = await runCycle(engine, await engine.planDeltaCycle({ itemKey: `bench-${ROUNDS}`, checkpoint: next, previous }));
    const deltaMs = performance.now() - deltaBegan;
    const changed = await site.readChangeLog(vm.id, previous.seq, next.seq);
    const changedBytes = Object.values(changed.disks).reduce((sum, ranges) => sum + totalBytes(ranges), 0);

    const result: ReplicationBenchResult = {
      initialThroughputRatio: plainMs / initialMs,
      deltaUploadRatio: delta.bytesUploaded / changedBytes,
      deltaCycleTimeRatio: deltaMs / initialMs,
    };
    const mibps = (ms: number): string => (DISK_BYTES / MiB / (ms / 1000)).toFixed(1);
    if (options.print !== false) console.table([
      { measure: 'plain SDK copy, 256 MiB', value: `${seconds(plainMs)} s (${mibps(plainMs)} MiB/s; runs ${runs(plainRuns)})`, goal: '' },
      { measure: 'initial replication, 256 MiB', value: `${seconds(initialMs)} s (${mibps(initialMs)} MiB/s; runs ${runs(initialRuns)})`, goal: '' },
      { measure: 'initial throughput ratio (medians)', value: result.initialThroughputRatio.toFixed(3), goal: '≥ 0.95' },
      { measure: `delta: ${writes} writes of 64 KiB, bytes changed`, value: String(changedBytes), goal: '' },
      { measure: 'delta: bytes uploaded', value: String(delta.bytesUploaded), goal: '' },
      { measure: 'delta upload ratio', value: result.deltaUploadRatio.toFixed(3), goal: '≤ 1.05' },
      { measure: 'delta cycle time', value: `${seconds(deltaMs)} s`, goal: '' },
      { measure: 'delta / initial time ratio', value: result.deltaCycleTimeRatio.toFixed(3), goal: '≤ 0.1' },
    ]);
    return result;
  } finally {
    await Promise.all([site.container.deleteIfExists(), recovery.container.deleteIfExists(), points.table.deleteTable()]);
  }
}
