/** The guest operating systems a protected Hyper-V VM may run (`replicationSupportedOperatingSystems`). Pure data. */

export interface SupportedOs {
  osName: string;
  osType: 'windows' | 'linux';
  osVersions: Array<{ version: string; servicePack?: string }>;
}

/**
 * Replication reads the VM's virtual disks at the host, so any guest whose disks the host can
 * checkpoint replicates; the list is the guests the recovery site boots (generation 1 and 2 VMs).
 */
export const SUPPORTED_OPERATING_SYSTEMS: readonly SupportedOs[] = [
  { osName: 'Windows Server 2012 R2', osType: 'windows', osVersions: [{ version: '6.3' }] },
  { osName: 'Windows Server 2016', osType: 'windows', osVersions: [{ version: '10.0.14393' }] },
  { osName: 'Windows Server 2019', osType: 'windows', osVersions: [{ version: '10.0.17763' }] },
  { osName: 'Windows Server 2022', osType: 'windows', osVersions: [{ version: '10.0.20348' }] },
  { osName: 'Windows Server 2025', osType: 'windows', osVersions: [{ version: '10.0.26100' }] },
  { osName: 'Windows 10', osType: 'windows', osVersions: [{ version: '10.0' }] },
  { osName: 'Windows 11', osType: 'windows', osVersions: [{ version: '10.0.22000' }] },
  { osName: 'ubuntu', osType: 'linux', osVersions: [{ version: '20.04' }, { version: '22.04' }, { version: '24.04' }] },
  { osName: 'debian', osType: 'linux', osVersions: [{ version: '11' }, { version: '12' }, { version: '13' }] },
  { osName: 'rhel', osType: 'linux', osVersions: [{ version: '8.10' }, { version: '9.4' }] },
  { osName: 'sles', osType: 'linux', osVersions: [{ version: '15 SP5' }, { version: '15 SP6' }] },
  { osName: 'oraclelinux', osType: 'linux', osVersions: [{ version: '8.10' }, { version: '9.4' }] },
];
