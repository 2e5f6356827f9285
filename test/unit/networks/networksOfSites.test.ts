/** A Hyper-V site's networks from its hosts' reports, and a recovery site's from what the vault uses there, as pure functions. */
import { describe, expect, it } from 'vitest';
import { isVirtualNetworkId, recoveryNetworkNameOf, recoveryNetworksOf } from '../../../shared/networks/recoveryNetworks.js';
import { siteNetworkNameOf, siteNetworksOf } from '../../../shared/networks/siteNetworks.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const vnet = (name: string, rg = 'rg') => `/subscriptions/s/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${name}`;

describe('siteNetworksOf', () => {
  it('merges a network reported by several hosts into one, with the union of its subnets and prefixes', () => {
    const networks = siteNetworksOf('site', [
      { networks: [{ name: 'corp', subnets: [{ name: 'app', addressPrefixes: ['10.1.2.0/24'] }] }, { name: 'Lab Switch' }] },
      { networks: [{ name: 'CORP', subnets: [{ name: 'App', addressPrefixes: ['10.1.2.0/24', '10.1.3.0/24'] }, { name: 'web', addressPrefixes: ['10.1.1.0/24'] }] }] },
      {},
    ]);
    expect(networks).toEqual([
      { name: siteNetworkNameOf('site', 'corp'), friendlyName: 'corp', subnets: [{ name: 'app', addressPrefixes: ['10.1.2.0/24', '10.1.3.0/24'] }, { name: 'web', addressPrefixes: ['10.1.1.0/24'] }] },
      { name: siteNetworkNameOf('site', 'Lab Switch'), friendlyName: 'Lab Switch', subnets: [] },
    ]);
  });

  it('names a network by a GUID stable across reports and case, distinct per site', () => {
    expect(siteNetworkNameOf('site', 'corp')).toMatch(GUID);
    expect(siteNetworkNameOf('Site', 'CORP')).toBe(siteNetworkNameOf('site', 'corp'));
    expect(siteNetworkNameOf('other', 'corp')).not.toBe(siteNetworkNameOf('site', 'corp'));
  });
});

describe('recoveryNetworksOf', () => {
  it("lists each virtual network the vault uses at the fabric once, with the subnets items name", () => {
    const networks = recoveryNetworksOf('recovery', [
      { fabricName: 'recovery', networkId: vnet('dr') },
      { fabricName: 'Recovery', networkId: vnet('DR'), subnetName: 'app' },
      { fabricName: 'recovery', networkId: vnet('drill'), subnetName: 'app' },
      { fabricName: 'other', networkId: vnet('elsewhere') },
      { fabricName: 'recovery', networkId: '/subscriptions/s/resourceGroups/rg' },
    ]);
    expect(networks).toEqual([
      { name: recoveryNetworkNameOf(vnet('dr')), friendlyName: 'dr', networkId: vnet('dr'), subnets: [{ name: 'app', addressPrefixes: [] }] },
      { name: recoveryNetworkNameOf(vnet('drill')), friendlyName: 'drill', networkId: vnet('drill'), subnets: [{ name: 'app', addressPrefixes: [] }] },
    ]);
    expect(recoveryNetworkNameOf(vnet('dr'))).toMatch(GUID);
    expect(recoveryNetworkNameOf(vnet('dr', 'other-rg'))).not.toBe(recoveryNetworkNameOf(vnet('dr')));
  });

  it.each([
    [vnet('x'), true],
    ['/subscriptions/s/resourceGroups/rg/providers/microsoft.network/VIRTUALNETWORKS/x', true],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/x/subnets/y', false],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x', false],
    ['/subscriptions/s/providers/Microsoft.Network/virtualNetworks/x', false],
    ['vnet', false],
  ])('isVirtualNetworkId(%s) is %s', (id, expected) => {
    expect(isVirtualNetworkId(id)).toBe(expected);
  });
});
