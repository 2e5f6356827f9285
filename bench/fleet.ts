/**
 * A fleet on one host, through the official client: 1 000 small VMs (three sparse 1 MiB disks each,
 * 3 000 disks — ASR's per-subscription limit) under a 5-minute policy, enabled 50 at a time; the
 * site's disks on an Azurite of their own, as in the churn phase.
 * - `vmsProtected1000`: items Protected at the end (goal: all);
 * - `protect1000Seconds`: from the first enable request until every item is Protected;
 * - `enableThrottledOrFailed`: responses with 429 or 5xx the client met while enabling, each retry
 *   counted (goal 0);
 * - `rpoP95At1000Seconds`: RPO p95 over the 5 minutes after that, read from the API every 15 s
 *   (goal ≤ 2 × interval);
 * - `hostRssMiB`: the host's peak resident memory over the run (`VmHWM`; goal ≤ 1 GiB).
 * `--quick` runs 100 VMs and samples RPO for one minute (for development; the full figure is the one
 * that counts).
 */
import fs from 'node:fs';
import type { HyperVReplicaAzureReplicationDetails } from '@azure/arm-recoveryservices-siterecovery';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { startAzurite } from '../scripts/azurite.js';
import { startBenchHost } from './benchHost.js';
import { BENCH_RG, setUpBenchVault } from './benchVault.js';
import { percentile } from './percentile.js';

export interface FleetBenchResult {
  vmsProtected1000: number;
  protect1000Seconds: number;
  enableThrottledOrFailed: number;
  rpoP95At1000Seconds: number;
  hostRssMiB: number;
}

const MiB = 1024 * 1024;
const DISKS_PER_VM = 3;
const POLICY_INTERVAL_SECONDS = 300;
const ENABLE_CONCURRENCY = 50;
const SAMPLE_EVERY_MS = 15_000;
const VAULT = 'fleet-vault';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The peak resident memory of process `pid` so far, in MiB (Linux `/proc`). */
function peakRssMiB(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kib === undefined) throw new Error(`No VmHWM for process ${pid}.`);
  return Number(kib) / 1024;
}

/** Counts, on every attempt the client makes (after its retry policy), the answers that were 429 or 5xx. */
function refusalCounter(): { policy: PipelinePolicy; count(): number } {
  let refused = 0;
  return {
    policy: {
      name: 'countRefusals',
      async sendRequest(request, next) {
        const response = await next(request);
        if (response.status === 429 || response.status >= 500) refused++;
        return response;
      },
    },
    count: () => refused,
  };
}

export async function runFleetBench(connectionString: string, options: { print?: boolean; quick?: boolean } = {}): Promise<FleetBenchResult> {
  const vmCount = options.quick ? 100 : 1_000;
  const sampleMs = options.quick ? 60_000 : 300_000;
  // The VMs' disks are the on-premises host's: the site has an Azurite of its own (as in the churn phase).
  const siteStorage = await startAzurite();
  const { host } = await startBenchHost(connectionString, 'fleet', siteStorage.connectionString);
  try {
    const refusals = refusalCounter();
    let enableStarted = 0;
    const { sr } = await setUpBenchVault(host, connectionString, {
      siteConnectionString: siteStorage.connectionString,
      vaultName: VAULT,
      replicationIntervalSeconds: POLICY_INTERVAL_SECONDS,
      retentionHours: 24,
      updateIntervalInMs: 2_000,
      vms: Array.from({ length: vmCount }, (_, i) => ({
        name: `fleet-vm-${String(i + 1).padStart(4, '0')}`,
        disks: Array.from({ length: DISKS_PER_VM }, (__, d) => ({ sizeBytes: MiB, isOsDisk: d === 0, contents: { kind: 'random' as const, fraction: 0.125 } })),
      })),
      addBatch: 50,
      protectConcurrency: ENABLE_CONCURRENCY,
      beforeProtect(_vms, _site, client) {
        client.pipeline.addPolicy(refusals.policy, { afterPhase: 'Retry' });
        enableStarted = Date.now();
        return Promise.resolve();
      },
      protectedWithinMs: options.quick ? 600_000 : 3_600_000,
      protectedPollMs: 5_000,
    });
    const protectSeconds = (Date.now() - enableStarted) / 1_000;
    const enableRefusals = refusals.count();

    const rpos: number[] = [];
    let protectedCount = 0;
    const end = Date.now() + sampleMs;
    while (Date.now() < end) {
      const began = Date.now();
      protectedCount = 0;
      for await (const item of sr.replicationProtectedItems.list(VAULT, BENCH_RG)) {
        const details = item.properties?.providerSpecificDetails as HyperVReplicaAzureReplicationDetails | undefined;
        if (details?.rpoInSeconds !== undefined) rpos.push(details.rpoInSeconds);
        if (item.properties?.protectionState === 'Protected') protectedCount++;
      }
      await sleep(Math.max(0, SAMPLE_EVERY_MS - (Date.now() - began)));
    }
    const result: FleetBenchResult = {
      vmsProtected1000: protectedCount,
      protect1000Seconds: protectSeconds,
      enableThrottledOrFailed: enableRefusals,
      rpoP95At1000Seconds: percentile(rpos, 95),
      hostRssMiB: peakRssMiB(host.pid),
    };
    if (options.print !== false) {
      const label = `${vmCount} VMs × ${DISKS_PER_VM} disks`;
      console.table([
        { measure: `${label}: Protected at the end (vmsProtected1000)`, value: `${result.vmsProtected1000} of ${vmCount}`, goal: 'all' },
        { measure: `${label}: enable, ${ENABLE_CONCURRENCY} at a time, until all Protected (protect1000Seconds)`, value: `${protectSeconds.toFixed(0)} s`, goal: '' },
        { measure: `${label}: 429 / 5xx answers while enabling`, value: String(enableRefusals), goal: '0' },
        { measure: `${label}: RPO p95 over ${sampleMs / 60_000} min, ${POLICY_INTERVAL_SECONDS / 60}-min policy (rpoP95At1000Seconds)`, value: `${result.rpoP95At1000Seconds.toFixed(0)} s`, goal: `≤ ${2 * POLICY_INTERVAL_SECONDS} s` },
        { measure: `${label}: host peak RSS (hostRssMiB)`, value: `${result.hostRssMiB.toFixed(0)} MiB`, goal: '≤ 1 024 MiB' },
      ]);
    }
    return result;
  } finally {
    await host.stop();
    await siteStorage.stop();
  }
}
