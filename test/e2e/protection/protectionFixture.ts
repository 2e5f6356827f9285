/**
 * Shared steps of the protection tests: a vault with a Hyper-V site (VMs on the run's Azurite,
 * reported through the site report endpoint), a recovery site, a 5-second policy and its mapping,
 * all prepared through the official clients against the local host.
 */
import { createHash } from 'node:crypto';
import type { ReplicationProtectedItem, SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { vaultId, type VaultRef } from '../../../shared/arm/resourceId.js';
import { itemKeyOf } from '../../../shared/protection/protectedItemRecord.js';
import { configForStorage } from '../../../shared/config.js';
import { createDeps, type Deps } from '../../../shared/deps.js';
import { createRecoveryPointStore, type TableRecoveryPointStore } from '../../../shared/replication/recoveryPointStore.js';
import { createRecoverySite, type RecoverySite } from '../../../shared/replication/recoverySite.js';
import { createHyperVSite, type AddVmOptions, type HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { reportInventory } from '../../../shared/site/hyperv/reportInventory.js';
import { siteKeyOf } from '../../../shared/site/siteKeyOf.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { FAST, newSubscription, vaultPath } from '../infra/infraFixture.js';
import { prepareVault } from '../../../scripts/prepareVault.js';
import { createClients, type Clients, type Service } from '../../support/clients.js';

export { FAST } from '../infra/infraFixture.js';

export const MiB = 1024 * 1024;

/** The service's storage-side components the tests look at, and the sites as their hosts see them. */
export interface ProtectionServices {
  plane: Deps['plane'];
  points: TableRecoveryPointStore;
  recoverySite(vault: VaultRef, fabricName: string): RecoverySite;
  /** The VMs at a recovery fabric (test and failed-over VMs), as their host sees them. */
  recoveryVmSite(vault: VaultRef, fabricName: string): HyperVSite;
  /** A Hyper-V site of the vault, as its host sees it. */
  site(vault: VaultRef, fabricName: string): HyperVSite;
}

/** A prepared vault with its site and the storage-side view the tests check. */
export interface ProtectionVault {
  service: Service;
  sub: string;
  rg: string;
  vault: string;
  ref: VaultRef;
  sr: SiteRecoveryManagementClient;
  site: string;
  container: string;
  recovery: string;
  policyId: string;
  registrationKey: string;
  /** The Hyper-V site's storage (the test plays its host). */
  hyperV: HyperVSite;
  /** The service's storage-side components, on the same accounts as the host. */
  services: ProtectionServices;
  /** Adds VMs at the site and reports the site's inventory. */
  addVms(vms: AddVmOptions[]): Promise<SiteVm[]>;
  protectableItemId(vmId: string): string;
  itemKey(itemName: string): string;
}

/**
 * Creates a vault, sites, a policy (interval `intervalSeconds`; an application-consistent point every
 * `appConsistentHours`, 0 = never) and the mapping, through `options.clients` when given (e.g. clients
 * with a policy that records every answer), else through clients that retry transient failures
 * `options.clientRetries` times (default none, so a test sees every answer as it came).
 */
export async function prepareProtection(
  service: Service,
  intervalSeconds = 5,
  appConsistentHours = 0,
  options: { clients?: (subscriptionId: string) => Clients; clientRetries?: number } = {},
): Promise<ProtectionVault> {
  const sub = newSubscription();
  const rg = 'rg';
  const vault = 'vault';
  const clients = options.clients?.(sub) ?? createClients(service.baseUrl, service.functionKey, sub, undefined, { maxRetries: options.clientRetries ?? 0 });
  const sr = clients.siteRecovery;
  const site = 'hyperv-site';
  const recovery = 'recovery-site';
  const { policyId, registrationKey, sourceContainer: container } = await prepareVault(service.baseUrl, service.functionKey, clients, {
    subscriptionId: sub,
    resourceGroupName: rg,
    vaultName: vault,
    sourceFabric: site,
    recoveryFabric: recovery,
    policyName: 'policy',
    mappingName: 'mapping',
    replicationIntervalSeconds: intervalSeconds,
    retentionHours: 24,
    appConsistentHours,
    updateIntervalInMs: FAST.updateIntervalInMs,
  });
  const ref: VaultRef = { subscriptionId: sub, resourceGroupName: rg, vaultName: vault };
  const storage = createStorageClients(service.connectionString);
  const hyperV = createHyperVSite(storage, { siteKey: siteKeyOf(vaultId(ref), site) });
  await hyperV.ensure();
  const deps = createDeps(configForStorage(service.connectionString));
  const siteOf = (vaultRef: VaultRef, fabricName: string): HyperVSite => createHyperVSite(storage, { siteKey: siteKeyOf(vaultId(vaultRef), fabricName) });
  const services: ProtectionServices = {
    plane: deps.plane,
    points: createRecoveryPointStore(storage),
    recoverySite: (vaultRef, fabricName) => createRecoverySite(storage, { siteKey: siteKeyOf(vaultId(vaultRef), fabricName) }),
    recoveryVmSite: siteOf,
    site: siteOf,
  };
  return {
    service,
    sub,
    rg,
    vault,
    ref,
    sr,
    site,
    container,
    recovery,
    policyId,
    registrationKey,
    hyperV,
    services,
    async addVms(vms) {
      const added: SiteVm[] = [];
      for (let i = 0; i < vms.length; i += 8) added.push(...(await Promise.all(vms.slice(i, i + 8).map((vm) => hyperV.addVm(vm)))));
      await reportInventory(hyperV, { serviceUrl: service.baseUrl.replace(/\/api$/, '/'), registrationKey, vaultId: vaultPath(sub, rg, vault), fabricName: site, hostName: 'hv-host-01' });
      return added;
    },
    protectableItemId: (vmId) => `${vaultPath(sub, rg, vault)}/replicationFabrics/${site}/replicationProtectionContainers/${container}/replicationProtectableItems/${vmId}`,
    itemKey: (itemName) => itemKeyOf(ref, site, container, itemName),
  };
}

/** The enable-protection body for a VM. */
export function enableInput(p: ProtectionVault, vm: SiteVm, extra: Record<string, unknown> = {}) {
  const os = vm.disks.find((disk) => disk.isOsDisk);
  return {
    properties: {
      policyId: p.policyId,
      protectableItemId: p.protectableItemId(vm.id),
      providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' as const, hvHostVmId: vm.id, vmName: vm.name, osType: vm.osType, vhdId: os?.id, disksToInclude: vm.disks.map((d) => d.id), ...extra },
    },
  };
}

/** Polls the item until `done` holds (or fails after `timeoutMs`). */
export async function waitForItem(
  p: ProtectionVault,
  itemName: string,
  done: (item: ReplicationProtectedItem) => boolean,
  timeoutMs = 60_000,
): Promise<ReplicationProtectedItem> {
  const deadline = Date.now() + timeoutMs;
  let last: ReplicationProtectedItem | undefined;
  while (Date.now() < deadline) {
    last = await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, itemName);
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Item ${itemName} did not reach the expected state; last: ${JSON.stringify(last?.properties?.protectionState)} ${JSON.stringify(last?.properties?.currentScenario)}\n${p.service.output().slice(-3000)}`);
}

/** Polls a job until it is terminal. */
export async function waitForJob(p: ProtectionVault, jobId: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = await p.sr.replicationJobs.get(p.vault, p.rg, jobId);
    const state = job.properties?.state ?? '';
    if (['Succeeded', 'Failed', 'Cancelled'].includes(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Job ${jobId} did not finish`);
}

/** SHA-256 of a buffer, hex. */
export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
