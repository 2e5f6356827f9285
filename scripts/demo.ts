/**
 * `npm run demo`: against a running `npm start` (port `PORT`, default 7071), prepares a demo through
 * the public API with the official clients — resource group `demo-rg`, vault `demo-vault`, the
 * Hyper-V site `hyperv-site` and the recovery site `recovery-site`, policy `demo-policy` (copy every
 * 30 s, keep 24 h, app-consistent every hour) and its mapping — puts three VMs with data on the site
 * (`web-01`, `app-01`, `db-01`: a 64 MiB OS disk and a data disk), reports them as the site's host,
 * starts a write workload on each, enables protection for them, and shows their replication until
 * Ctrl-C (or for `--duration`).
 *
 * `--service <url>` names the service's API base (default `http://127.0.0.1:${PORT}/api`). `--drill`
 * runs a disaster-recovery drill instead of showing replication: once the VMs are protected, a test
 * failover of `web-01` and its cleanup, printing each job with its tasks, then exits.
 */
import os from 'node:os';
import type { Job, SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { Command } from 'commander';
import { createHyperVSite, type HyperVSite } from '../shared/site/hyperv/hyperVSite.js';
import { reportInventory } from '../shared/site/hyperv/reportInventory.js';
import { runWorkload, type Workload } from '../shared/site/hyperv/runWorkload.js';
import { siteKeyOf } from '../shared/site/siteKeyOf.js';
import type { SiteVm } from '../shared/site/types.js';
import { toolStorageSetting } from '../shared/config.js';
import { createStorageClients } from '../shared/storage/clients.js';
import { createClients } from './armClients.js';
import { containerOf, prepareVault } from './prepareVault.js';
import { parseDuration } from './site.js';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const RESOURCE_GROUP = 'demo-rg';
const VAULT = 'demo-vault';
const SOURCE = 'hyperv-site';
const TARGET = 'recovery-site';
const POLICY = 'demo-policy';
const MAPPING = 'demo-mapping';
const MiB = 1024 * 1024;
const VMS = [
  { name: 'web-01', osType: 'Linux' as const, dataDisk: 16 * MiB },
  { name: 'app-01', osType: 'Linux' as const, dataDisk: 32 * MiB },
  { name: 'db-01', osType: 'Windows' as const, dataDisk: 64 * MiB },
];

/** The VM the drill fails over. */
const DRILL_VM = 'web-01';

const vaultId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.RecoveryServices/vaults/${VAULT}`;

function siteFor(): HyperVSite {
  const connection = toolStorageSetting('HyperVSiteStorage');
  return createHyperVSite(createStorageClients(connection), { siteKey: siteKeyOf(vaultId, SOURCE) });
}

const say = (text: string): void => void process.stdout.write(`${text}\n`);

/** Polls the item until it is Protected (initial replication done). */
async function waitForProtected(siteRecovery: SiteRecoveryManagementClient, itemName: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const item = await siteRecovery.replicationProtectedItems.get(VAULT, RESOURCE_GROUP, SOURCE, containerOf(SOURCE), itemName);
    if (item.properties?.protectionState === 'Protected') return;
    if (Date.now() > deadline) throw new Error(`${itemName} is not Protected after ${timeoutMs / 1000} s (${item.properties?.protectionState}).`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Prints the job of `scenarioName` on `itemName` that started at or after `since`, with its tasks. */
async function printJob(siteRecovery: SiteRecoveryManagementClient, scenarioName: string, itemName: string, since: Date): Promise<void> {
  const filter = `scenarioName eq '${scenarioName}' and targetObjectName eq '${itemName}' and startTime eq '${since.toISOString()}'`;
  const jobs: Job[] = [];
  for await (const job of siteRecovery.replicationJobs.list(VAULT, RESOURCE_GROUP, { filter })) jobs.push(job);
  const job = jobs.sort((a, b) => (b.properties?.startTime?.getTime() ?? 0) - (a.properties?.startTime?.getTime() ?? 0))[0];
  if (!job) throw new Error(`No ${scenarioName} job of ${itemName} since ${since.toISOString()}.`);
  say(`Job ${job.properties?.friendlyName} (${job.properties?.scenarioName}) ${job.name}: ${job.properties?.state}`);
  for (const task of job.properties?.tasks ?? []) say(`  - ${task.friendlyName ?? task.name}: ${task.state}`);
}

/** A drill: test failover of `DRILL_VM` from its latest recovery point, then the cleanup; each job printed. */
async function drill(siteRecovery: SiteRecoveryManagementClient): Promise<void> {
  const item = [VAULT, RESOURCE_GROUP, SOURCE, containerOf(SOURCE), DRILL_VM] as const;
  say(`\nDrill            test failover of ${DRILL_VM}, then its cleanup`);
  const testStarted = new Date();
  await siteRecovery.replicationProtectedItems.beginTestFailoverAndWait(
    ...item,
    { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'NoNetworkAttachAsInput', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
    { updateIntervalInMs: 500 },
  );
  await printJob(siteRecovery, 'TestFailover', DRILL_VM, testStarted);
  const cleanupStarted = new Date();
  await siteRecovery.replicationProtectedItems.beginTestFailoverCleanupAndWait(...item, { properties: { comments: 'Demo drill.' } }, { updateIntervalInMs: 500 });
  await printJob(siteRecovery, 'TestFailoverCleanup', DRILL_VM, cleanupStarted);
}

async function main(): Promise<void> {
  const options = new Command()
    .name('demo')
    .description('Prepares a demo vault, site and protected VMs on a running service.')
    .option('--duration <time>', 'stop the workloads and exit after this long (default: until Ctrl-C)', parseDuration)
    .option('--service <url>', "the service's API base", `http://127.0.0.1:${process.env.PORT ?? '7071'}/api`)
    .option('--drill', `once the VMs are protected, run a test failover of ${DRILL_VM} and its cleanup, print the jobs, and exit`)
    .parse()
    .opts<{ duration?: number; service: string; drill?: boolean }>();
  const base = options.service.replace(/\/+$/, '');
  const key = process.env.FUNCTIONS_MASTER_KEY || process.env.FUNCTIONS_FUNCTION_KEY || undefined;
  const { siteRecovery, recoveryServices } = createClients(base, key, SUBSCRIPTION);

  say(`Service: ${base}`);
  const clients = { siteRecovery, recoveryServices };
  const { policyId, registrationKey } = await prepareVault(base, key, clients, {
    subscriptionId: SUBSCRIPTION,
    resourceGroupName: RESOURCE_GROUP,
    vaultName: VAULT,
    sourceFabric: SOURCE,
    recoveryFabric: TARGET,
    policyName: POLICY,
    mappingName: MAPPING,
    replicationIntervalSeconds: 30,
    retentionHours: 24,
    appConsistentHours: 1,
  });
  say(`Vault            ${vaultId}`);
  say(`Fabrics          ${SOURCE} (Hyper-V site), ${TARGET} (recovery site)`);
  say(`Policy           ${POLICY}: copy every 30 s, keep 24 h, app-consistent every hour`);
  say(`Mapping          ${containerOf(SOURCE)} → ${containerOf(TARGET)} with ${POLICY}`);

  const site = siteFor();
  await site.ensure();
  const existing = await site.listVms();
  const vms: SiteVm[] = [];
  for (const spec of VMS) {
    vms.push(
      existing.find((vm) => vm.name === spec.name) ??
        (await site.addVm({
          name: spec.name,
          osType: spec.osType,
          disks: [
            { name: `${spec.name}-os`, sizeBytes: 64 * MiB, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } },
            { name: `${spec.name}-data`, sizeBytes: spec.dataDisk, contents: { kind: 'random', fraction: 0.25 } },
          ],
        })),
    );
  }
  await reportInventory(site, { serviceUrl: base.replace(/\/api$/, ''), registrationKey, vaultId, fabricName: SOURCE, hostName: os.hostname() });
  say(`Site VMs         ${vms.map((vm) => `${vm.name} (${vm.disks.length} disks)`).join(', ')}`);

  const workloads: Workload[] = [];
  for (const vm of vms) workloads.push(await runWorkload(site, vm.id, { writesPerSecond: 5, pattern: 'random' }));
  say('Workloads        5 writes/s of 64 KiB on each VM');

  await Promise.all(
    vms.map((vm) =>
      siteRecovery.replicationProtectedItems.beginCreateAndWait(
        VAULT,
        RESOURCE_GROUP,
        SOURCE,
        containerOf(SOURCE),
        vm.name,
        {
          properties: {
            policyId,
            protectableItemId: `${vaultId}/replicationFabrics/${SOURCE}/replicationProtectionContainers/${containerOf(SOURCE)}/replicationProtectableItems/${vm.id}`,
            providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', hvHostVmId: vm.id, vmName: vm.name, osType: vm.osType, vhdId: vm.disks[0]!.id, targetAzureVmName: vm.name },
          },
        },
        { updateIntervalInMs: 500 },
      ),
    ),
  );
  say('Protection       enabled for all three VMs; initial replication runs as its own job\n');

  if (options.drill) {
    await Promise.all(vms.map((vm) => waitForProtected(siteRecovery, vm.name)));
    say('Replication      all three VMs Protected');
    await drill(siteRecovery);
    await Promise.all(workloads.map((w) => w.stop()));
    say('\nWorkloads stopped. The vault, sites and protected items stay in place.');
    return;
  }

  const show = async (): Promise<void> => {
    const rows = [];
    for await (const item of siteRecovery.replicationProtectedItems.list(VAULT, RESOURCE_GROUP)) {
      const details = item.properties?.providerSpecificDetails as { rpoInSeconds?: number; initialReplicationDetails?: { initialReplicationProgressPercentage?: string } } | undefined;
      rows.push({
        item: item.name,
        state: item.properties?.protectionState,
        health: item.properties?.replicationHealth,
        'initial %': details?.initialReplicationDetails?.initialReplicationProgressPercentage,
        'rpo (s)': details?.rpoInSeconds,
      });
    }
    console.table(rows);
  };
  const deadline = options.duration ? Date.now() + options.duration : Number.POSITIVE_INFINITY;
  let stopping = false;
  process.once('SIGINT', () => {
    stopping = true;
  });
  while (!stopping && Date.now() < deadline) {
    await show();
    await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, Math.max(0, deadline - Date.now()))));
  }
  await Promise.all(workloads.map((w) => w.stop()));
  say('Workloads stopped. The vault, sites and protected items stay in place.');
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
