/**
 * The networks of a Hyper-V site, as its hosts report them: one network per name across the site's
 * hosts (the same virtual switch on several hosts is one network), its subnets merged. A network's
 * resource name is a GUID derived from the site and the network's name, stable across reports. Pure.
 */
import { createHash } from 'node:crypto';
import type { ReportedNetwork } from '../infra/siteReportSchema.js';

/** A subnet of a network and its address prefixes (none known for a recovery site's). */
export interface NetworkSubnet {
  name: string;
  addressPrefixes: string[];
}

/** A network of a site as the API shows it. */
export interface SiteNetwork {
  /** Its resource name (a GUID). */
  name: string;
  friendlyName: string;
  subnets: NetworkSubnet[];
}

/** A GUID-shaped name derived from `text` (stable, URL-safe). */
export function derivedGuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${(8 | (Number.parseInt(hex.charAt(16), 16) & 3)).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The resource name of a site's network, from the site and the network's reported name (case-insensitive). */
export const siteNetworkNameOf = (fabricName: string, networkName: string): string => derivedGuid(`site-network\n${fabricName.toLowerCase()}\n${networkName.toLowerCase()}`);

/** The site's networks from its hosts' reports, in name order. */
export function siteNetworksOf(fabricName: string, hosts: ReadonlyArray<{ networks?: readonly ReportedNetwork[] }>): SiteNetwork[] {
  const byName = new Map<string, { friendlyName: string; subnets: Map<string, NetworkSubnet> }>();
  for (const network of hosts.flatMap((host) => host.networks ?? [])) {
    const key = network.name.toLowerCase();
    let merged = byName.get(key);
    if (!merged) byName.set(key, (merged = { friendlyName: network.name, subnets: new Map() }));
    for (const subnet of network.subnets ?? []) {
      const existing = merged.subnets.get(subnet.name.toLowerCase());
      if (!existing) merged.subnets.set(subnet.name.toLowerCase(), { name: subnet.name, addressPrefixes: [...subnet.addressPrefixes] });
      else for (const prefix of subnet.addressPrefixes) if (!existing.addressPrefixes.includes(prefix)) existing.addressPrefixes.push(prefix);
    }
  }
  return [...byName.values()]
    .map((network) => ({ name: siteNetworkNameOf(fabricName, network.friendlyName), friendlyName: network.friendlyName, subnets: [...network.subnets.values()] }))
    .sort((a, b) => a.friendlyName.localeCompare(b.friendlyName));
}
