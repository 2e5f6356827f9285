/**
 * The host's inventory report to the service (the role of ASR's provider on a Hyper-V host):
 * `POST {serviceUrl}/api/hyperVSites/report` with the vault's registration key.
 */
import { PROVIDER_AGENT_VERSION } from '../../providers/providerVersion.js';
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

/** Sends the inventory; throws with the service's status and error text when it refuses. */
export async function reportInventory(site: HyperVSite, target: ReportTarget): Promise<void> {
  const body = await inventoryOf(site, target);
  const url = new URL('api/hyperVSites/report', target.serviceUrl.endsWith('/') ? target.serviceUrl : `${target.serviceUrl}/`);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ms-registration-key': target.registrationKey },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const text = (await response.text()).slice(0, 500);
    throw new Error(`Inventory report refused: HTTP ${response.status} ${text}`);
  }
}
