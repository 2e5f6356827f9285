/**
 * The vault a benchmark phase protects VMs in, through the official clients against its local host:
 * the Hyper-V site and recovery site, a policy and its mapping, the site's VMs added and reported,
 * each protected, every item Protected before the phase measures.
 */
import type { RecoveryServicesClient } from '@azure/arm-recoveryservices';
import type { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { randomUUID } from 'node:crypto';
import { vaultId, type VaultRef } from '../shared/arm/resourceId.js';
import { createHyperVSite, type AddVmOptions, type HyperVSite } from '../shared/site/hyperv/hyperVSite.js';
import { reportInventory } from '../shared/site/hyperv/reportInventory.js';
import { siteKeyOf } from '../shared/site/siteKeyOf.js';
import type { SiteVm } from '../shared/site/types.js';
import { createStorageClients } from '../shared/storage/clients.js';
import { createClients } from '../scripts/armClients.js';
import { prepareVault } from '../scripts/prepareVault.js';
import type { LocalHost } from '../scripts/startHost.js';
import { until } from './until.js';
import { protectVms } from './protectVms.js';

export const BENCH_RG = 'bench-rg';
export const BENCH_SITE = 'hyperv-site';
export const BENCH_CONTAINER = `${BENCH_SITE}-container`;
export const BENCH_RECOVERY = 'recovery-site';
/** How often the bench's site host reports (its heartbeat; a site is unhealthy after 10 minutes without one). */
const HEARTBEAT_MS = 3 * 60_000;

export interface BenchVaultOptions {
  vaultName: string;
  replicationIntervalSeconds: number;
  retentionHours: number;
  /** How often the clients poll long-running operations. */
  updateIntervalInMs: number;
  vms: AddVmOptions[];
  /** The Hyper-V site's storage, when not the host's (the host was started with it as `HyperVSiteStorage`). */
  siteConnectionString?: string;
  /** VMs added to the site at once, and protected at once (default all). */
  addBatch?: number;
  protectConcurrency?: number;
  /** Runs once the VMs are at the site, before they are protected (a workload from the start; a policy on the client that enables them). */
  beforeProtect?: (vms: SiteVm[], site: HyperVSite, sr: SiteRecoveryManagementClient) => Promise<void>;
  /** How long every item may take to be Protected. */
  protectedWithinMs: number;
  /** How often the items are listed while waiting for them to be Protected (default 500 ms). */
  protectedPollMs?: number;
}

export interface BenchVault {
  ref: VaultRef;
  sr: SiteRecoveryManagementClient;
  recoveryServices: RecoveryServicesClient;
  policyId: string;
  hyperV: HyperVSite;
  vms: SiteVm[];
}

/** Prepares the vault on `host` (storage `connectionString`), adds, reports and protects the VMs; resolves when every item is Protected. */
export async function setUpBenchVault(host: LocalHost, connectionString: string, options: BenchVaultOptions): Promise<BenchVault> {
  const ref: VaultRef = { subscriptionId: randomUUID(), resourceGroupName: BENCH_RG, vaultName: options.vaultName };
  const hyperV = createHyperVSite(createStorageClients(options.siteConnectionString ?? connectionString), { siteKey: siteKeyOf(vaultId(ref), BENCH_SITE) });
  const { siteRecovery: sr, recoveryServices } = createClients(host.baseUrl, host.functionKey, ref.subscriptionId);
  const { policyId, registrationKey } = await prepareVault(host.baseUrl, host.functionKey, { siteRecovery: sr, recoveryServices }, {
    subscriptionId: ref.subscriptionId,
    resourceGroupName: BENCH_RG,
    vaultName: options.vaultName,
    sourceFabric: BENCH_SITE,
    recoveryFabric: BENCH_RECOVERY,
    policyName: `${options.vaultName}-policy`,
    mappingName: `${options.vaultName}-mapping`,
    replicationIntervalSeconds: options.replicationIntervalSeconds,
    retentionHours: options.retentionHours,
    appConsistentHours: 0,
    updateIntervalInMs: options.updateIntervalInMs,
  });
  await hyperV.ensure();
  const batch = options.addBatch ?? options.vms.length;
  const vms: SiteVm[] = [];
  for (let i = 0; i < options.vms.length; i += batch) vms.push(...(await Promise.all(options.vms.slice(i, i + batch).map((spec) => hyperV.addVm(spec)))));
  const report = () => reportInventory(hyperV, { serviceUrl: host.baseUrl.replace(/\/api$/, '/'), registrationKey, vaultId: vaultId(ref), fabricName: BENCH_SITE, hostName: `${options.vaultName}-host` });
  await report();
  // The site's host reports again every few minutes, as its agent does: a long phase (a large fleet
  // enabling) must not see the site's heartbeat lapse. A report that fails (the host stopped) is skipped.
  setInterval(() => void report().catch(() => undefined), HEARTBEAT_MS).unref();
  await options.beforeProtect?.(vms, hyperV, sr);
  const target = { vaultName: options.vaultName, resourceGroupName: BENCH_RG, vaultId: vaultId(ref), fabricName: BENCH_SITE, containerName: BENCH_CONTAINER, policyId, updateIntervalInMs: options.updateIntervalInMs };
  await protectVms(sr, target, vms, options.protectConcurrency);
  await until(
    'every item Protected',
    async () => {
      for await (const item of sr.replicationProtectedItems.list(options.vaultName, BENCH_RG)) if (item.properties?.protectionState !== 'Protected') return undefined;
      return true;
    },
    options.protectedWithinMs,
    options.protectedPollMs ?? 500,
  );
  return { ref, sr, recoveryServices, policyId, hyperV, vms };
}
