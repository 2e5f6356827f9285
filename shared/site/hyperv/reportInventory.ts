/**
 * The host's inventory report to the service (the role of ASR's provider on a Hyper-V host):
 * `POST {serviceUrl}/api/hyperVSites/report` with the vault's registration key.
 */
import { PROVIDER_AGENT_VERSION } from '../../providers/providerVersion.js';
import pRetry, { AbortError } from 'p-retry';
import type { HyperVSite } from './hyperVSite.js';
import type { HostNetwork, SiteDisk, SiteVm } from '../types.js';

/** Body of the inventory report. */
export interface HyperVSiteReport {
  vaultId: string;
  fabricName: string;
  hostName: string;
  /** The agent's version (the provider's). */
  agentVersion: string;
  vms: Array<Pick<SiteVm, 'id' | 'name' | 'osType' | 'generation' | 'cpuCount' | 'memoryMB' | 'powerState' | 'fenced' | 'nics'> & { disks: Array<SiteDisk & { container: string }> }>;
  /** The host's networks (absent while it has none). */
  networks?: HostNetwork[];
}

export interface ReportTarget {
  serviceUrl: string;
  registrationKey: string;
  vaultId: string;
  fabricName: string;
  hostName: string;
}

/** The report body for the site's current VMs and networks. */
export async function inventoryOf(site: HyperVSite, target: Omit<ReportTarget, 'serviceUrl' | 'registrationKey'>): Promise<HyperVSiteReport> {
  const [vms, networks] = await Promise.all([site.listVms(), site.listNetworks()]);
  return {
    vaultId: target.vaultId,
    fabricName: target.fabricName,
    hostName: target.hostName,
    agentVersion: PROVIDER_AGENT_VERSION,
    ...(networks.length > 0 ? { networks } : {}),
    vms: vms.map((vm) => ({
      id: vm.id,
      name: vm.name,
      osType: vm.osType,
      generation: vm.generation,
      cpuCount: vm.cpuCount,
      memoryMB: vm.memoryMB,
      powerState: vm.powerState,
      fenced: vm.fenced,
      ...(vm.nics?.length ? { nics: vm.nics } : {}),
      disks: vm.disks.map((disk) => ({ ...disk, container: site.containerName })),
    })),
  };
}

/**
 * Sends the inventory; throws with the service's status and error text when it refuses. As a host's
 * agent does, it tries again (5 times in about 15 s) while the service cannot be reached or answers
 * 429 or 5xx (a restart or a busy moment); a 4xx is the answer.
 */
export async function reportInventory(site: HyperVSite, target: ReportTarget): Promise<void> {
  const body = JSON.stringify(await inventoryOf(site, target));
  const url = new URL('api/hyperVSites/report', target.serviceUrl.endsWith('/') ? target.serviceUrl : `${target.serviceUrl}/`);
  await pRetry(
    async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ms-registration-key': target.registrationKey }, body });
      if (response.ok) return;
      const refused = new Error(`Inventory report refused: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
      if (response.status === 429 || response.status >= 500) throw refused;
      throw new AbortError(refused);
    },
    { retries: 5, minTimeout: 500, factor: 2, maxTimeout: 5_000 },
  );
}
