/**
 * Recovery plan benchmark, through the official clients against the local host: a plan of N small
 * VMs in seven boot groups fails over (unplanned, latest processed point) with one
 * `replicationRecoveryPlans.unplannedFailover`, timed from the command until every VM runs at the
 * recovery site; for 10 and for 100 VMs.
 */
import { vaultId } from '../shared/arm/resourceId.js';
import { itemKeyOf } from '../shared/protection/protectedItemRecord.js';
import { createHyperVSite } from '../shared/site/hyperv/hyperVSite.js';
import { siteKeyOf } from '../shared/site/siteKeyOf.js';
import { createStorageClients } from '../shared/storage/clients.js';
import { startBenchHost } from './benchHost.js';
import { BENCH_CONTAINER, BENCH_RECOVERY, BENCH_RG, BENCH_SITE, setUpBenchVault } from './benchVault.js';
import { until } from './until.js';

export interface PlanBenchResult {
  plan10VmFailoverSeconds: number;
  plan100VmFailoverSeconds: number;
}

const DISK_BYTES = 1024 * 1024;
const BOOT_GROUPS = 7;
const VAULT = 'plan-bench-vault';
const POLL = { updateIntervalInMs: 250 } as const;

interface PlanRun {
  setupMs: number;
  acceptedMs: number;
  allRunningMs: number;
  jobDoneMs: number;
}

async function runPlan(connectionString: string, vmCount: number): Promise<PlanRun> {
  const { host } = await startBenchHost(connectionString, 'plans');
  try {
    const setupBegan = performance.now();
    const { ref, sr, hyperV, vms } = await setUpBenchVault(host, connectionString, {
      vaultName: VAULT,
      replicationIntervalSeconds: 30,
      retentionHours: 24,
      updateIntervalInMs: POLL.updateIntervalInMs,
      vms: Array.from({ length: vmCount }, (_, i) => ({ name: `plan-vm-${String(i + 1).padStart(3, '0')}`, disks: [{ sizeBytes: DISK_BYTES, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } }] })),
      addBatch: 10,
      protectConcurrency: 20,
      protectedWithinMs: 300_000,
    });
    const recoveryVms = createHyperVSite(createStorageClients(connectionString), { siteKey: siteKeyOf(vaultId(ref), BENCH_RECOVERY) });
    const itemId = (name: string) => `${vaultId(ref)}/replicationFabrics/${BENCH_SITE}/replicationProtectionContainers/${BENCH_CONTAINER}/replicationProtectedItems/${name}`;
    const groups = Array.from({ length: BOOT_GROUPS }, (_, g) => ({ groupType: 'Boot' as const, replicationProtectedItems: vms.filter((_, i) => i % BOOT_GROUPS === g).map((vm) => ({ id: itemId(vm.name) })) }));
    await sr.replicationRecoveryPlans.beginCreateAndWait(VAULT, BENCH_RG, 'bench-plan', { properties: { primaryFabricId: `${vaultId(ref)}/replicationFabrics/${BENCH_SITE}`, recoveryFabricId: 'Microsoft Azure', groups } }, POLL);
    const setupMs = performance.now() - setupBegan;

    const itemKeys = new Set(vms.map((vm) => itemKeyOf(ref, BENCH_SITE, BENCH_CONTAINER, vm.name)));
    const began = performance.now();
    const poller = await sr.replicationRecoveryPlans.beginUnplannedFailover(VAULT, BENCH_RG, 'bench-plan', { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure', recoveryPointType: 'LatestProcessed' }] } }, POLL);
    const acceptedMs = performance.now() - began;
    const allRunningMs = await until(`${vmCount} VMs running at the recovery site`, async () => {
      const running = (await recoveryVms.listVms()).filter((vm) => vm.origin?.purpose === 'failover' && itemKeys.has(vm.origin.itemKey) && vm.powerState === 'Running');
      return running.length === vmCount ? performance.now() - began : undefined;
    }, 300_000, 200);
    const done = await poller.pollUntilDone();
    if (!done.properties?.groups) throw new Error('The plan failover did not answer with the plan.');
    const jobDoneMs = performance.now() - began;
    // The next run (more VMs) starts on an account without this run's sites.
    await Promise.all([hyperV.container.deleteIfExists(), recoveryVms.container.deleteIfExists()]);
    return { setupMs, acceptedMs, allRunningMs, jobDoneMs };
  } finally {
    await host.stop();
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
