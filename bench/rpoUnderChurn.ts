/**
 * RPO under churn, through the official client against the local host: 20 protected VMs (two 32 MiB
 * disks each) under a 5-second policy, each guest writing 1 MiB/s (64 KiB at random offsets, 16
 * writes a second, run inside this process; the site's disks and change logs on an Azurite of their
 * own, as an on-premises host's are not in the recovery account). Once every item is Protected and a settling minute
 * has passed, every item's RPO and health is read from the API once a second for two minutes:
 * - `rpoP95Seconds` / `rpoMaxSeconds` over all samples (goal p95 ≤ 10 s);
 * - `rpoWarningSamples`: samples whose replication health was not Normal (goal 0);
 * - `guestMiBPerSecondPerVm`: what the guests managed to write (each write is logged, then written:
 *   two requests in series, so on a busy machine they write less than they were asked to).
 */
import type { HyperVReplicaAzureReplicationDetails } from '@azure/arm-recoveryservices-siterecovery';
import { runWorkload, type Workload } from '../shared/site/hyperv/runWorkload.js';
import { startAzurite } from '../scripts/azurite.js';
import { startBenchHost } from './benchHost.js';
import { BENCH_RG, setUpBenchVault } from './benchVault.js';
import { percentile } from './percentile.js';

export interface RpoBenchResult {
  rpoP95Seconds: number;
  rpoMaxSeconds: number;
  rpoWarningSamples: number;
  /** What the guests wrote, per VM and second, from the first workload's start (asked: 1 MiB/s). */
  guestMiBPerSecondPerVm: number;
}

const MiB = 1024 * 1024;
const VM_COUNT = 20;
const DISK_BYTES = 32 * MiB;
const POLICY_INTERVAL_SECONDS = 5;
const WRITE = 64 * 1024;
const WRITES_PER_SECOND = 16;
const SETTLE_MS = 60_000;
const SAMPLE_MS = 120_000;
const POLL_MS = 250;
const VAULT = 'rpo-vault';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runRpoBench(connectionString: string, options: { print?: boolean } = {}): Promise<RpoBenchResult> {
  // The guests' disks and change logs are the on-premises host's, not the recovery account's: the
  // site has an Azurite of its own, so the guests' writes do not queue behind the service's requests.
  const siteStorage = await startAzurite();
  const { host } = await startBenchHost(connectionString, 'rpo', siteStorage.connectionString);
  const workloads: Workload[] = [];
  let writingSince: number | undefined;
  try {
    const { sr } = await setUpBenchVault(host, connectionString, {
      vaultName: VAULT,
      siteConnectionString: siteStorage.connectionString,
      replicationIntervalSeconds: POLICY_INTERVAL_SECONDS,
      retentionHours: 1,
      updateIntervalInMs: POLL_MS,
      vms: Array.from({ length: VM_COUNT }, (_, i) => ({
        name: `rpo-vm-${String(i + 1).padStart(2, '0')}`,
        disks: [
          { sizeBytes: DISK_BYTES, isOsDisk: true, contents: { kind: 'random', fraction: 0.25 } },
          { sizeBytes: DISK_BYTES, contents: { kind: 'random', fraction: 0.25 } },
        ],
      })),
      addBatch: 5,
      protectConcurrency: 10,
      async beforeProtect(vms, site) {
        writingSince ??= Date.now();
        for (const vm of vms) workloads.push(await runWorkload(site, vm.id, { writeSizeBytes: WRITE, writesPerSecond: WRITES_PER_SECOND }));
      },
      protectedWithinMs: 600_000,
    });
    await sleep(SETTLE_MS);

    const rpos: number[] = [];
    let notNormal = 0;
    const end = Date.now() + SAMPLE_MS;
    while (Date.now() < end) {
      const began = Date.now();
      for await (const item of sr.replicationProtectedItems.list(VAULT, BENCH_RG)) {
        const details = item.properties?.providerSpecificDetails as HyperVReplicaAzureReplicationDetails | undefined;
        if (details?.rpoInSeconds !== undefined) rpos.push(details.rpoInSeconds);
        if (item.properties?.replicationHealth !== 'Normal') notNormal++;
      }
      await sleep(Math.max(0, 1_000 - (Date.now() - began)));
    }
    const written = (await Promise.all(workloads.splice(0).map((workload) => workload.stop()))).reduce((sum, result) => sum + result.bytes, 0);
    const writingSeconds = (Date.now() - (writingSince ?? Date.now())) / 1000;
    const result: RpoBenchResult = {
      rpoP95Seconds: percentile(rpos, 95),
      rpoMaxSeconds: Math.max(...rpos),
      rpoWarningSamples: notNormal,
      guestMiBPerSecondPerVm: writingSeconds > 0 ? written / MiB / VM_COUNT / writingSeconds : 0,
    };
    if (options.print !== false) {
      console.table([
        { measure: `RPO under churn: ${VM_COUNT} VMs × 1 MiB/s, ${POLICY_INTERVAL_SECONDS} s policy, ${rpos.length} samples: p50`, value: `${percentile(rpos, 50).toFixed(0)} s`, goal: '' },
        { measure: 'RPO under churn: p95 (rpoP95Seconds)', value: `${result.rpoP95Seconds.toFixed(0)} s`, goal: '≤ 10 s' },
        { measure: 'RPO under churn: max (rpoMaxSeconds)', value: `${result.rpoMaxSeconds.toFixed(0)} s`, goal: '' },
        { measure: 'samples not Normal (rpoWarningSamples)', value: String(notNormal), goal: '0' },
        { measure: 'guest writes over the run', value: `${(written / MiB).toFixed(0)} MiB`, goal: '' },
        { measure: 'guest writes per VM (guestMiBPerSecondPerVm)', value: `${result.guestMiBPerSecondPerVm.toFixed(2)} MiB/s`, goal: 'asked 1 MiB/s' },
      ]);
    }
    return result;
  } finally {
    await Promise.all(workloads.map((workload) => workload.stop()));
    await host.stop();
    await siteStorage.stop();
  }
}
