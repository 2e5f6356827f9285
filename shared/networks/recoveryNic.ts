/**
 * Which network the VM an operation brings up at the recovery site attaches to, and with which
 * address. Pure.
 *
 * - Network: a test failover takes the network its request names, else the item's test network
 *   (`selectedTfoAzureNetworkId`); a failover the item's recovery network
 *   (`selectedRecoveryAzureNetworkId`); either falls back to the network the source VM's network is
 *   mapped to (a paired network mapping to the item's recovery site). None of these: no network.
 * - Address: a failover takes the item's recovery static IP if one is set; otherwise, and always for
 *   a test failover, a source adapter with a static address keeps it at the recovery site.
 * - Subnet: the item's recovery subnet, else the source subnet the address lies in (the recovery
 *   network's subnet of that name), only once there is a network.
 */
import type { ReportedNic } from '../infra/siteReportSchema.js';
import type { RecoveryVmSettings } from '../protection/protectedItemRecord.js';
import type { VmNetwork } from '../site/types.js';
import type { SiteNetwork } from './siteNetworks.js';

/** The source VM's (first) network adapter as the item sees it. */
export interface SourceNic {
  /** The network's name as the host reports it. */
  networkName: string;
  ipAddress?: string;
  ipAddressType: 'Static' | 'Dynamic';
  /** The reported subnet the address lies in. */
  subnetName?: string;
}

/** Where the network choice came from. */
export type NicSelection = 'Request' | 'Item' | 'Mapping' | 'None';

/** The recovery VM's adapter: what it attaches to, and why. */
export interface RecoveryNic {
  networkId?: string;
  subnetName?: string;
  ipAddress?: string;
  selection: NicSelection;
}

/** What the choice depends on. */
export interface RecoveryNicInput {
  purpose: 'test' | 'failover';
  /** A test failover's `networkId`. */
  requestedNetworkId?: string;
  recovery: Pick<RecoveryVmSettings, 'networkId' | 'testNetworkId' | 'subnetName' | 'staticIpAddress'>;
  source?: SourceNic;
  /** The virtual network the source VM's network is mapped to at the item's recovery site. */
  mappedNetworkId?: string;
}

function toNumber(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + part, 0);
}

/** Whether an IPv4 address lies in a prefix (`a.b.c.d/n`). */
export function ipInPrefix(ip: string, prefix: string): boolean {
  const [base = '', bitsText = ''] = prefix.split('/');
  const address = toNumber(ip);
  const network = toNumber(base);
  const bits = Number(bitsText);
  if (address === undefined || network === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(address / size) === Math.floor(network / size);
}

/** The source adapter from a VM's reported adapter and its site's networks. */
export function sourceNicOf(nic: ReportedNic | undefined, networks: readonly SiteNetwork[]): SourceNic | undefined {
  if (!nic) return undefined;
  const network = networks.find((candidate) => candidate.friendlyName.toLowerCase() === nic.networkName.toLowerCase());
  const ip = nic.ipAddress;
  const subnet = ip ? network?.subnets.find((candidate) => candidate.addressPrefixes.some((prefix) => ipInPrefix(ip, prefix))) : undefined;
  return {
    networkName: nic.networkName,
    ipAddressType: nic.ipAddressType ?? 'Dynamic',
    ...(ip ? { ipAddress: ip } : {}),
    ...(subnet ? { subnetName: subnet.name } : {}),
  };
}

/** The recovery VM's adapter (see the module comment). */
export function chooseRecoveryNic(input: RecoveryNicInput): RecoveryNic {
  const { recovery, source } = input;
  const own = input.purpose === 'test' ? (input.requestedNetworkId ?? recovery.testNetworkId) : recovery.networkId;
  const selection: NicSelection = own ? (input.purpose === 'test' && input.requestedNetworkId ? 'Request' : 'Item') : input.mappedNetworkId ? 'Mapping' : 'None';
  const networkId = own ?? input.mappedNetworkId;
  const keptIp = networkId && source?.ipAddressType === 'Static' ? source.ipAddress : undefined;
  const ipAddress = input.purpose === 'failover' ? (recovery.staticIpAddress ?? keptIp) : keptIp;
  const subnetName = recovery.subnetName ?? (networkId ? source?.subnetName : undefined);
  return { selection, ...(networkId ? { networkId } : {}), ...(subnetName ? { subnetName } : {}), ...(ipAddress ? { ipAddress } : {}) };
}

/** What the recovery site is told about the VM's network. */
export function vmNetworkOf(nic: Omit<RecoveryNic, 'selection'>): VmNetwork {
  return { ...(nic.networkId ? { networkId: nic.networkId } : {}), ...(nic.subnetName ? { subnetName: nic.subnetName } : {}), ...(nic.ipAddress ? { ipAddress: nic.ipAddress } : {}) };
}
