/**
 * Failover benchmark, through the official clients against the local host on one storage account:
 * - RTO of a 10-VM unplanned failover: from sending the ten `unplannedFailover` commands (in
 *   parallel, source site not required, latest processed point) until all ten VMs run at the
 *   recovery site (failover VMs `Running` on the recovery fabric's VM site);
 * - bytes sent by re-protect ÷ disk size, after 1 % churn (64 KiB writes) on a recovery VM's
 *   64 MiB disk — the item's last cycle (a resync comparing chunk hashes) once it is `Protected`
 *   towards the original site.
 */
import { randomUUID } from 'node:crypto';
import { vaultId, type VaultRef } from '../shared/arm/resourceId.js';
import { itemKeyOf, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../shared/protection/protectedItemRecord.js';
import { configForStorage } from '../shared/config.js';
import { createDeps } from '../shared/deps.js';
import { createRecoverySite } from '../shared/replication/recoverySite.js';
import { vaultPartition } from '../shared/repos/partitions.js';
import { createHyperVSite, type AddVmOptions } from '../shared/site/hyperv/hyperVSite.js';
import { reportInventory } from '../shared/site/hyperv/reportInventory.js';
import { runWorkload } from '../shared/site/hyperv/runWorkload.js';
import { siteKeyOf } from '../shared/site/siteKeyOf.js';
import type { SiteVm } from '../shared/site/types.js';
import { createStorageClients } from '../shared/storage/clients.js';
import { createClients } from '../scripts/armClients.js';
import { prepareVault } from '../scripts/prepareVault.js';
import { startBenchHost } from './benchHost.js';
import { BENCH_CONTAINER, BENCH_RECOVERY, BENCH_RG, BENCH_SITE } from './benchVault.js';
import { protectVms } from './protectVms.js';
import { until } from './until.js';

export interface FailoverBenchResult {
  failover10VmSeconds: number;
  reprotectUploadFraction: number;
}

export interface FailoverBenchOptions {
  /** Print the table (default true); off when the caller prints JSON only. */
  print?: boolean;
}

const MiB = 1024 * 1024;
const VM_COUNT = 10;
const DISK_BYTES = 16 * MiB;
/** The disk of the VM that is re-protected: bigger, so 1 % churn is many writes. */
const REPROTECT_DISK_BYTES = 64 * MiB;
const WRITE = 64 * 1024;
const POLICY_INTERVAL_SECONDS = 5;
const POLL = { updateIntervalInMs: 100 } as const;
const RG = BENCH_RG;
const VAULT = 'bench-vault';
const SITE = BENCH_SITE;
const CONTAINER = BENCH_CONTAINER;
const RECOVERY = BENCH_RECOVERY;

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/**
 * Starts the local host on `connectionString`, protects ten VMs, fails them over together and
 * re-protects one after 1 % churn; prints a table and returns both figures. Stops the host and
 * deletes the sites' containers it created, leaving the vault's rows in the phase's own control-plane table.
 */
export async function runFailoverBench(connectionString: string, options: FailoverBenchOptions = {}): Promise<FailoverBenchResult> {
  const { host, controlPlaneTable } = await startBenchHost(connectionString, 'failover');
  const ref: VaultRef = { subscriptionId: randomUUID(), resourceGroupName: RG, vaultName: VAULT };
  const storage = createStorageClients(connectionString);
  const hyperV = createHyperVSite(storage, { siteKey: siteKeyOf(vaultId(ref), SITE) });
  const recoveryVms = createHyperVSite(storage, { siteKey: siteKeyOf(vaultId(ref), RECOVERY) });
  const replicas = createRecoverySite(storage, { siteKey: siteKeyOf(vaultId(ref), RECOVERY) });
  try {
    const { siteRecovery: sr, recoveryServices } = createClients(host.baseUrl, host.functionKey, ref.subscriptionId);
    const deps = createDeps(configForStorage(connectionString, { controlPlaneTable }));
    const record = async (itemName: string): Promise<ProtectedItemRecord> => {
      const row = await deps.plane.repository.get<ProtectedItemRecord>(vaultPartition(ref), PROTECTED_ITEM_ROW, [SITE, CONTAINER, itemName]);
      if (!row) throw new Error(`No row for item ${itemName}`);
      return row.value;
    };

    // Setup: vault, sites, policy, mapping; ten VMs reported by the site and protected.
    const setupBegan = performance.now();
    const { policyId, registrationKey } = await prepareVault(host.baseUrl, host.functionKey, { siteRecovery: sr, recoveryServices }, {
      subscriptionId: ref.subscriptionId,
      resourceGroupName: RG,
      vaultName: VAULT,
      sourceFabric: SITE,
      recoveryFabric: RECOVERY,
      policyName: 'bench-policy',
      mappingName: 'bench-mapping',
      replicationIntervalSeconds: POLICY_INTERVAL_SECONDS,
      retentionHours: 24,
      appConsistentHours: 0,
      updateIntervalInMs: POLL.updateIntervalInMs,
    });
    await hyperV.ensure();
    const specs: AddVmOptions[] = Array.from({ length: VM_COUNT }, (_, i) => ({
      name: `bench-vm-${String(i + 1).padStart(2, '0')}`,
      disks: [{ sizeBytes: i === 0 ? REPROTECT_DISK_BYTES : DISK_BYTES, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } }],
    }));
    const vms: SiteVm[] = await Promise.all(specs.map((spec) => hyperV.addVm(spec)));
    await reportInventory(hyperV, { serviceUrl: host.baseUrl.replace(/\/api$/, '/'), registrationKey, vaultId: vaultId(ref), fabricName: SITE, hostName: 'bench-host-01' });
    await protectVms(sr, { vaultName: VAULT, resourceGroupName: RG, vaultId: vaultId(ref), fabricName: SITE, containerName: CONTAINER, policyId, updateIntervalInMs: POLL.updateIntervalInMs }, vms);
    await until(
      'all ten items Protected',
      async () => ((await Promise.all(vms.map((vm) => record(vm.name)))).every((r) => r.state.protectionState === 'Protected') ? true : undefined),
      120_000,
      250,
    );
    const setupMs = performance.now() - setupBegan;

    // RTO: ten unplanned failovers sent together, until ten failover VMs run at the recovery site.
    const itemKeys = new Set(vms.map((vm) => itemKeyOf(ref, SITE, CONTAINER, vm.name)));
    const failoverBegan = performance.now();
    const pollers = await Promise.all(
      vms.map((vm) =>
        sr.replicationProtectedItems.beginUnplannedFailover(
          VAULT,
          RG,
          SITE,
          CONTAINER,
          vm.name,
          { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'LatestProcessed' } } },
          POLL,
        ),
      ),
    );
    const acceptedMs = performance.now() - failoverBegan;
    let firstRunningMs: number | undefined;
    const allRunningMs = await until(
      'ten failover VMs running at the recovery site',
      async () => {
        const running = (await recoveryVms.listVms()).filter((vm) => vm.origin?.purpose === 'failover' && itemKeys.has(vm.origin.itemKey) && vm.powerState === 'Running');
        const now = performance.now() - failoverBegan;
        if (running.length > 0) firstRunningMs ??= now;
        return running.length === VM_COUNT ? now : undefined;
      },
      120_000,
    );
    await Promise.all(pollers.map((poller) => poller.pollUntilDone()));
    const jobsDoneMs = performance.now() - failoverBegan;
    const failedOver = await Promise.all(vms.map((vm) => record(vm.name)));
    const notRecovery = failedOver.filter((r) => r.state.activeLocation !== 'Recovery').map((r) => r.name);
    if (notRecovery.length > 0) throw new Error(`Items not active at the recovery site after failover: ${notRecovery.join(', ')}`);

    // Re-protect after 1 % churn on the big VM's recovery disk: bytes sent ÷ disk size.
    const big = vms[0]!;
    const recoveryVmId = failedOver[0]!.recoveryVm!.vmId;
    const writes = Math.round((REPROTECT_DISK_BYTES * 0.01) / WRITE);
    const churn = await runWorkload(recoveryVms, recoveryVmId, { writeSizeBytes: WRITE, writesPerSecond: 0, maxWrites: writes });
    const churned = await churn.done;
    const reprotectBegan = new Date();
    const reprotectStarted = performance.now();
    const reprotect = await sr.replicationProtectedItems.beginReprotect(VAULT, RG, SITE, CONTAINER, big.name, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, POLL);
    let jobError: Error | undefined;
    const jobDone = reprotect.pollUntilDone().catch((error: unknown) => {
      jobError = error instanceof Error ? error : new Error(String(error));
    });
    // Read the resync cycle as soon as the item is protected backwards, before a delta cycle replaces it.
    let last: ProtectedItemRecord | undefined;
    const reprotected = await until(
      're-protect to finish its resync',
      async () => {
        if (jobError) throw jobError;
        const r = await record(big.name);
        last = r;
        const backwards = r.state.replicationDirection === 'RecoveryToPrimary' && r.state.protectionState === 'Protected';
        const cycled = r.replication.lastReplicatedTime !== undefined && Date.parse(r.replication.lastReplicatedTime) >= reprotectBegan.getTime();
        if (!backwards || !cycled || !r.replication.lastCycle) return undefined;
        if (r.replication.lastCycle.kind !== 'resync') throw new Error(`The first cycle after re-protect was a ${r.replication.lastCycle.kind}, not a resync`);
        return r;
      },
      120_000,
      100,
      () => JSON.stringify({ state: last?.state, replication: { ...last?.replication, cycle: undefined }, scenario: last?.currentScenario }),
    );
    await jobDone;
    if (jobError) throw jobError;
    const reprotectMs = performance.now() - reprotectStarted;
    const lastCycle = reprotected.replication.lastCycle!;
    const diskBytes = reprotected.disks.reduce((sum, disk) => sum + disk.sizeBytes, 0);

    const result: FailoverBenchResult = {
      failover10VmSeconds: allRunningMs / 1000,
      reprotectUploadFraction: lastCycle.bytesUploaded / diskBytes,
    };
    if (options.print !== false) console.table([
      { measure: `setup: vault, ${VM_COUNT} VMs (${VM_COUNT - 1} × ${DISK_BYTES / MiB} MiB, 1 × ${REPROTECT_DISK_BYTES / MiB} MiB) protected`, value: `${seconds(setupMs)} s`, goal: '' },
      { measure: `unplanned failover of ${VM_COUNT} VMs: commands accepted`, value: `${seconds(acceptedMs)} s`, goal: '' },
      { measure: 'unplanned failover: first VM running', value: `${seconds(firstRunningMs ?? allRunningMs)} s`, goal: '' },
      { measure: 'unplanned failover: all VMs running (RTO)', value: `${seconds(allRunningMs)} s`, goal: '' },
      { measure: 'unplanned failover: all jobs finished', value: `${seconds(jobsDoneMs)} s`, goal: '' },
      { measure: `re-protect: churn, ${churned.writes} writes of 64 KiB (bytes)`, value: String(churned.writes * WRITE), goal: '' },
      { measure: `re-protect: bytes sent (${lastCycle.kind})`, value: String(lastCycle.bytesUploaded), goal: '' },
      { measure: 're-protect: disk size', value: String(diskBytes), goal: '' },
      { measure: 're-protect: churn ÷ disk size', value: ((churned.writes * WRITE) / diskBytes).toFixed(4), goal: '' },
      { measure: 're-protect upload fraction (bytes sent ÷ disk size)', value: result.reprotectUploadFraction.toFixed(4), goal: '≪ 1' },
      { measure: 're-protect: command to job finished', value: `${seconds(reprotectMs)} s`, goal: '' },
    ]);
    return result;
  } finally {
    await host.stop();
    await Promise.all([hyperV.container.deleteIfExists(), recoveryVms.container.deleteIfExists(), replicas.container.deleteIfExists()]);
  }
}
