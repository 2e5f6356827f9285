/**
 * RPO under churn, through the official client against the local host: 20 protected VMs (two 32 MiB
 * disks each) under a 5-second policy, each guest writing 1 MiB/s (64 KiB at random offsets, 16
 * writes a second, run inside this process). Once every item is Protected and a settling minute
 * has passed, every item's RPO and health is read from the API once a second for two minutes:
 * - `rpoP95Seconds` / `rpoMaxSeconds` over all samples (goal p95 ≤ 10 s);
 * - `rpoWarningSamples`: samples whose replication health was not Normal (goal 0).
 */
import type { HyperVReplicaAzureReplicationDetails } from '@azure/arm-recoveryservices-siterecovery';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { vaultId, type VaultRef } from '../shared/arm/resourceId.js';
import { createHyperVSite, type AddVmOptions } from '../shared/site/hyperv/hyperVSite.js';
import { reportInventory } from '../shared/site/hyperv/reportInventory.js';
import { runWorkload, type Workload } from '../shared/site/hyperv/runWorkload.js';
import { siteKeyOf } from '../shared/site/siteKeyOf.js';
import type { SiteVm } from '../shared/site/types.js';
import { createStorageClients } from '../shared/storage/clients.js';
import { createClients } from '../scripts/armClients.js';
import { prepareVault } from '../scripts/prepareVault.js';
import { startBenchHost } from './benchHost.js';
import { until } from './failover.js';
import { percentile } from './percentile.js';
import { protectVms } from './protectVms.js';

export interface RpoBenchResult {
  rpoP95Seconds: number;
  rpoMaxSeconds: number;
  rpoWarningSamples: number;
}

const MiB = 1024 * 1024;
const VM_COUNT = 20;
const DISK_BYTES = 32 * MiB;
const POLICY_INTERVAL_SECONDS = 5;
const WRITE = 64 * 1024;
const WRITES_PER_SECOND = 16;
const SETTLE_MS = 60_000;
const SAMPLE_MS = 120_000;
const POLL = { updateIntervalInMs: 250 } as const;
const RG = 'bench-rg';
const VAULT = 'rpo-vault';
const SITE = 'hyperv-site';
const CONTAINER = `${SITE}-container`;
const RECOVERY = 'recovery-site';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runRpoBench(connectionString: string, options: { print?: boolean } = {}): Promise<RpoBenchResult> {
  const { host } = await startBenchHost(connectionString, 'rpo');
  const ref: VaultRef = { subscriptionId: randomUUID(), resourceGroupName: RG, vaultName: VAULT };
  const hyperV = createHyperVSite(createStorageClients(connectionString), { siteKey: siteKeyOf(vaultId(ref), SITE) });
  const workloads: Workload[] = [];
  try {
    const { siteRecovery: sr, recoveryServices } = createClients(host.baseUrl, host.functionKey, ref.subscriptionId);
    const { policyId, registrationKey } = await prepareVault(host.baseUrl, host.functionKey, { siteRecovery: sr, recoveryServices }, {
      subscriptionId: ref.subscriptionId,
      resourceGroupName: RG,
      vaultName: VAULT,
      sourceFabric: SITE,
      recoveryFabric: RECOVERY,
      policyName: 'rpo-policy',
      mappingName: 'rpo-mapping',
      replicationIntervalSeconds: POLICY_INTERVAL_SECONDS,
      retentionHours: 1,
      appConsistentHours: 0,
      updateIntervalInMs: POLL.updateIntervalInMs,
    });
    await hyperV.ensure();
    const specs: AddVmOptions[] = Array.from({ length: VM_COUNT }, (_, i) => ({
      name: `rpo-vm-${String(i + 1).padStart(2, '0')}`,
      disks: [
        { sizeBytes: DISK_BYTES, isOsDisk: true, contents: { kind: 'random', fraction: 0.25 } },
        { sizeBytes: DISK_BYTES, contents: { kind: 'random', fraction: 0.25 } },
      ],
    }));
    const vms: SiteVm[] = [];
    for (let i = 0; i < specs.length; i += 5) vms.push(...(await Promise.all(specs.slice(i, i + 5).map((spec) => hyperV.addVm(spec)))));
    await reportInventory(hyperV, { serviceUrl: host.baseUrl.replace(/\/api$/, '/'), registrationKey, vaultId: vaultId(ref), fabricName: SITE, hostName: 'rpo-bench-host' });
    for (const vm of vms) workloads.push(await runWorkload(hyperV, vm.id, { writeSizeBytes: WRITE, writesPerSecond: WRITES_PER_SECOND }));
    await protectVms(sr, { vaultName: VAULT, resourceGroupName: RG, vaultId: vaultId(ref), fabricName: SITE, containerName: CONTAINER, policyId, updateIntervalInMs: POLL.updateIntervalInMs }, vms, 10);
    await until('every item Protected', async () => {
      for await (const item of sr.replicationProtectedItems.list(VAULT, RG)) if (item.properties?.protectionState !== 'Protected') return undefined;
      return true;
    }, 600_000, 1_000);
    await sleep(SETTLE_MS);

    const rpos: number[] = [];
    let notNormal = 0;
    const end = Date.now() + SAMPLE_MS;
    while (Date.now() < end) {
      const began = Date.now();
      for await (const item of sr.replicationProtectedItems.list(VAULT, RG)) {
        const details = item.properties?.providerSpecificDetails as HyperVReplicaAzureReplicationDetails | undefined;
        if (details?.rpoInSeconds !== undefined) rpos.push(details.rpoInSeconds);
        if (item.properties?.replicationHealth !== 'Normal') notNormal++;
      }
      await sleep(Math.max(0, 1_000 - (Date.now() - began)));
    }
    const written = (await Promise.all(workloads.splice(0).map((workload) => workload.stop()))).reduce((sum, result) => sum + result.bytes, 0);
    const result: RpoBenchResult = { rpoP95Seconds: percentile(rpos, 95), rpoMaxSeconds: Math.max(...rpos), rpoWarningSamples: notNormal };
    if (options.print !== false) {
      console.table([
        { measure: `RPO under churn: ${VM_COUNT} VMs × 1 MiB/s, ${POLICY_INTERVAL_SECONDS} s policy, ${rpos.length} samples: p50`, value: `${percentile(rpos, 50).toFixed(0)} s`, goal: '' },
        { measure: 'RPO under churn: p95 (rpoP95Seconds)', value: `${result.rpoP95Seconds.toFixed(0)} s`, goal: '≤ 10 s' },
        { measure: 'RPO under churn: max (rpoMaxSeconds)', value: `${result.rpoMaxSeconds.toFixed(0)} s`, goal: '' },
        { measure: 'samples not Normal (rpoWarningSamples)', value: String(notNormal), goal: '0' },
        { measure: 'guest writes over the run', value: `${(written / MiB).toFixed(0)} MiB`, goal: '' },
      ]);
    }
    return result;
  } finally {
    await Promise.all(workloads.map((workload) => workload.stop()));
    await host.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startAzurite } = await import('../scripts/azurite.js');
  const azurite = await startAzurite();
  try {
    const json = process.argv.includes('--json');
    const result = await runRpoBench(azurite.connectionString, { print: !json });
    if (json) console.log(JSON.stringify(result));
  } finally {
    await azurite.stop();
  }
}
