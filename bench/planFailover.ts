/**
 * Recovery plan benchmark, through the official clients against the local host: a plan of N small
 * VMs in seven boot groups fails over (unplanned, latest processed point) with one
 * `replicationRecoveryPlans.unplannedFailover`, timed from the command until every VM runs at the
 * recovery site; for 10 and for 100 VMs.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { vaultId, type VaultRef } from '../shared/arm/resourceId.js';
import { itemKeyOf } from '../shared/protection/protectedItemRecord.js';
import { createHyperVSite, type AddVmOptions } from '../shared/site/hyperv/hyperVSite.js';
import { reportInventory } from '../shared/site/hyperv/reportInventory.js';
import { siteKeyOf } from '../shared/site/siteKeyOf.js';
import type { SiteVm } from '../shared/site/types.js';
import { createStorageClients } from '../shared/storage/clients.js';
import { createClients } from '../scripts/armClients.js';
import { prepareVault } from '../scripts/prepareVault.js';
import { startBenchHost } from './benchHost.js';
import { protectVms } from './protectVms.js';
import { until } from './failover.js';

export interface PlanBenchResult {
  plan10VmFailoverSeconds: number;
  plan100VmFailoverSeconds: number;
}

const DISK_BYTES = 1024 * 1024;
const BOOT_GROUPS = 7;
const RG = 'plan-bench-rg';
const VAULT = 'plan-bench-vault';
const SITE = 'hyperv-site';
const CONTAINER = `${SITE}-container`;
const RECOVERY = 'recovery-site';
const POLL = { updateIntervalInMs: 250 } as const;

interface PlanRun {
  setupMs: number;
  acceptedMs: number;
  allRunningMs: number;
  jobDoneMs: number;
}

async function runPlan(connectionString: string, vmCount: number): Promise<PlanRun> {
  const { host } = await startBenchHost(connectionString, 'plans');
  const ref: VaultRef = { subscriptionId: randomUUID(), resourceGroupName: RG, vaultName: VAULT };
  const storage = createStorageClients(connectionString);
  const hyperV = createHyperVSite(storage, { siteKey: siteKeyOf(vaultId(ref), SITE) });
  const recoveryVms = createHyperVSite(storage, { siteKey: siteKeyOf(vaultId(ref), RECOVERY) });
  try {
    const { siteRecovery: sr, recoveryServices } = createClients(host.baseUrl, host.functionKey, ref.subscriptionId);
    const setupBegan = performance.now();
    const { policyId, registrationKey } = await prepareVault(host.baseUrl, host.functionKey, { siteRecovery: sr, recoveryServices }, {
      subscriptionId: ref.subscriptionId,
      resourceGroupName: RG,
      vaultName: VAULT,
      sourceFabric: SITE,
      recoveryFabric: RECOVERY,
      policyName: 'plan-bench-policy',
      mappingName: 'plan-bench-mapping',
      replicationIntervalSeconds: 30,
      retentionHours: 24,
      appConsistentHours: 0,
      updateIntervalInMs: POLL.updateIntervalInMs,
    });
    await hyperV.ensure();
    const specs: AddVmOptions[] = Array.from({ length: vmCount }, (_, i) => ({ name: `plan-vm-${String(i + 1).padStart(3, '0')}`, disks: [{ sizeBytes: DISK_BYTES, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } }] }));
    const vms: SiteVm[] = [];
    for (let i = 0; i < specs.length; i += 10) vms.push(...(await Promise.all(specs.slice(i, i + 10).map((spec) => hyperV.addVm(spec)))));
    await reportInventory(hyperV, { serviceUrl: host.baseUrl.replace(/\/api$/, '/'), registrationKey, vaultId: vaultId(ref), fabricName: SITE, hostName: 'plan-bench-host' });
    await protectVms(sr, { vaultName: VAULT, resourceGroupName: RG, vaultId: vaultId(ref), fabricName: SITE, containerName: CONTAINER, policyId, updateIntervalInMs: POLL.updateIntervalInMs }, vms, 20);
    await until('every item Protected', async () => {
      for await (const item of sr.replicationProtectedItems.list(VAULT, RG)) if (item.properties?.protectionState !== 'Protected') return undefined;
      return true;
    }, 300_000, 500);
    const itemId = (name: string) => `${vaultId(ref)}/replicationFabrics/${SITE}/replicationProtectionContainers/${CONTAINER}/replicationProtectedItems/${name}`;
    const groups = Array.from({ length: BOOT_GROUPS }, (_, g) => ({ groupType: 'Boot' as const, replicationProtectedItems: vms.filter((_, i) => i % BOOT_GROUPS === g).map((vm) => ({ id: itemId(vm.name) })) }));
    await sr.replicationRecoveryPlans.beginCreateAndWait(VAULT, RG, 'bench-plan', { properties: { primaryFabricId: `${vaultId(ref)}/replicationFabrics/${SITE}`, recoveryFabricId: 'Microsoft Azure', groups } }, POLL);
    const setupMs = performance.now() - setupBegan;

    const itemKeys = new Set(vms.map((vm) => itemKeyOf(ref, SITE, CONTAINER, vm.name)));
    const began = performance.now();
    const poller = await sr.replicationRecoveryPlans.beginUnplannedFailover(VAULT, RG, 'bench-plan', { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure', recoveryPointType: 'LatestProcessed' }] } }, POLL);
    const acceptedMs = performance.now() - began;
    const allRunningMs = await until(`${vmCount} VMs running at the recovery site`, async () => {
      const running = (await recoveryVms.listVms()).filter((vm) => vm.origin?.purpose === 'failover' && itemKeys.has(vm.origin.itemKey) && vm.powerState === 'Running');
      return running.length === vmCount ? performance.now() - began : undefined;
    }, 300_000, 200);
    const done = await poller.pollUntilDone();
    if (!done.properties?.groups) throw new Error('The plan failover did not answer with the plan.');
    return { setupMs, acceptedMs, allRunningMs, jobDoneMs: performance.now() - began };
  } finally {
    await host.stop();
    await Promise.all([hyperV.container.deleteIfExists(), recoveryVms.container.deleteIfExists()]);
  }
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/** Fails over a 10-VM and a 100-VM plan, each on its own host and vault; prints a table and returns both times. */
export async function runPlanFailoverBench(connectionString: string, options: { print?: boolean } = {}): Promise<PlanBenchResult> {
  const ten = await runPlan(connectionString, 10);
  const hundred = await runPlan(connectionString, 100);
  const result: PlanBenchResult = { plan10VmFailoverSeconds: ten.allRunningMs / 1000, plan100VmFailoverSeconds: hundred.allRunningMs / 1000 };
  if (options.print !== false) console.table([
    { measure: 'plan of 10 VMs (7 boot groups): setup', value: `${seconds(ten.setupMs)} s`, goal: '' },
    { measure: 'plan of 10 VMs: unplanned failover, all VMs running', value: `${seconds(ten.allRunningMs)} s`, goal: '' },
    { measure: 'plan of 10 VMs: plan job finished', value: `${seconds(ten.jobDoneMs)} s`, goal: '' },
    { measure: 'plan of 100 VMs (7 boot groups): setup', value: `${seconds(hundred.setupMs)} s`, goal: '' },
    { measure: 'plan of 100 VMs: command accepted', value: `${seconds(hundred.acceptedMs)} s`, goal: '' },
    { measure: 'plan of 100 VMs: unplanned failover, all VMs running (plan100VmFailoverSeconds)', value: `${seconds(hundred.allRunningMs)} s`, goal: '≤ 30 s' },
    { measure: 'plan of 100 VMs: plan job finished', value: `${seconds(hundred.jobDoneMs)} s`, goal: '' },
  ]);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startAzurite } = await import('../scripts/azurite.js');
  const azurite = await startAzurite();
  try {
    const json = process.argv.includes('--json');
    const result = await runPlanFailoverBench(azurite.connectionString, { print: !json });
    if (json) console.log(JSON.stringify(result));
  } finally {
    await azurite.stop();
  }
}
