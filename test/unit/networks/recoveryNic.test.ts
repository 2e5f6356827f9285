/** Which network, subnet and address the VM an operation brings up at the recovery site gets, as pure functions. */
import { describe, expect, it } from 'vitest';
import { nicViewOf } from '../../../shared/networks/nicView.js';
import { chooseRecoveryNic, ipInPrefix, sourceNicOf, vmNetworkOf, type SourceNic } from '../../../shared/networks/recoveryNic.js';
import { siteNetworksOf } from '../../../shared/networks/siteNetworks.js';

const MAPPED = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/mapped';
const OWN = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/own';
const TEST = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/test';
const ASKED = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/asked';
const staticNic: SourceNic = { networkName: 'corp', ipAddress: '10.1.2.7', ipAddressType: 'Static', subnetName: 'app' };

describe('ipInPrefix', () => {
  it.each([
    ['10.1.2.7', '10.1.2.0/24', true],
    ['10.1.3.7', '10.1.2.0/24', false],
    ['10.1.3.7', '10.1.0.0/16', true],
    ['192.168.0.1', '0.0.0.0/0', true],
    ['10.0.0.5', '10.0.0.5/32', true],
    ['10.0.0.6', '10.0.0.5/32', false],
    ['10.0.0.300', '10.0.0.0/24', false],
    ['10.0.0.1', '10.0.0.0/33', false],
  ])('%s in %s: %s', (ip, prefix, expected) => {
    expect(ipInPrefix(ip, prefix)).toBe(expected);
  });
});

describe('sourceNicOf', () => {
  const networks = siteNetworksOf('site', [{ networks: [{ name: 'Corp', subnets: [{ name: 'web', addressPrefixes: ['10.1.1.0/24'] }, { name: 'app', addressPrefixes: ['10.1.2.0/24'] }] }] }]);

  it('finds the subnet the address lies in (network names compare case-insensitively)', () => {
    expect(sourceNicOf({ networkName: 'corp', ipAddress: '10.1.2.7', ipAddressType: 'Static' }, networks)).toEqual(staticNic);
  });

  it('an adapter without a type is dynamic; without an address it has no subnet', () => {
    expect(sourceNicOf({ networkName: 'corp', ipAddress: '10.1.1.9' }, networks)).toEqual({ networkName: 'corp', ipAddress: '10.1.1.9', ipAddressType: 'Dynamic', subnetName: 'web' });
    expect(sourceNicOf({ networkName: 'corp' }, networks)).toEqual({ networkName: 'corp', ipAddressType: 'Dynamic' });
    expect(sourceNicOf(undefined, networks)).toBeUndefined();
  });
});

describe('chooseRecoveryNic', () => {
  const recovery = {};

  it('a failover without a network of its own attaches to the mapped network and keeps the static address and subnet', () => {
    expect(chooseRecoveryNic({ purpose: 'failover', recovery, source: staticNic, mappedNetworkId: MAPPED })).toEqual({ selection: 'Mapping', networkId: MAPPED, subnetName: 'app', ipAddress: '10.1.2.7' });
  });

  it("the item's recovery network and static address win over the mapping and the source address", () => {
    const own = { networkId: OWN, subnetName: 'default', staticIpAddress: '10.9.0.4' };
    expect(chooseRecoveryNic({ purpose: 'failover', recovery: own, source: staticNic, mappedNetworkId: MAPPED })).toEqual({ selection: 'Item', networkId: OWN, subnetName: 'default', ipAddress: '10.9.0.4' });
    expect(chooseRecoveryNic({ purpose: 'failover', recovery: { networkId: OWN }, source: staticNic, mappedNetworkId: MAPPED })).toEqual({ selection: 'Item', networkId: OWN, subnetName: 'app', ipAddress: '10.1.2.7' });
  });

  it('a test failover takes the requested network, else the test network, else the mapped one; the static address is kept', () => {
    const withTest = { testNetworkId: TEST };
    expect(chooseRecoveryNic({ purpose: 'test', requestedNetworkId: ASKED, recovery: withTest, source: staticNic, mappedNetworkId: MAPPED })).toMatchObject({ selection: 'Request', networkId: ASKED, ipAddress: '10.1.2.7' });
    expect(chooseRecoveryNic({ purpose: 'test', recovery: withTest, source: staticNic, mappedNetworkId: MAPPED })).toMatchObject({ selection: 'Item', networkId: TEST });
    expect(chooseRecoveryNic({ purpose: 'test', recovery, source: staticNic, mappedNetworkId: MAPPED })).toEqual({ selection: 'Mapping', networkId: MAPPED, subnetName: 'app', ipAddress: '10.1.2.7' });
    // A test failover never takes the item's recovery static address (that is the failover's).
    expect(chooseRecoveryNic({ purpose: 'test', recovery: { networkId: OWN, staticIpAddress: '10.9.0.4' }, mappedNetworkId: MAPPED })).toEqual({ selection: 'Mapping', networkId: MAPPED });
  });

  it('a dynamic source address is not kept; without any network nothing is attached', () => {
    expect(chooseRecoveryNic({ purpose: 'failover', recovery, source: { ...staticNic, ipAddressType: 'Dynamic' }, mappedNetworkId: MAPPED })).toEqual({ selection: 'Mapping', networkId: MAPPED, subnetName: 'app' });
    expect(chooseRecoveryNic({ purpose: 'failover', recovery, source: staticNic })).toEqual({ selection: 'None' });
  });

  it('without a reported adapter the item settings apply as they are', () => {
    expect(chooseRecoveryNic({ purpose: 'failover', recovery: { networkId: OWN, subnetName: 's', staticIpAddress: '10.0.0.7' } })).toEqual({ selection: 'Item', networkId: OWN, subnetName: 's', ipAddress: '10.0.0.7' });
    expect(chooseRecoveryNic({ purpose: 'test', recovery: { subnetName: 's' }, requestedNetworkId: ASKED })).toEqual({ selection: 'Request', networkId: ASKED, subnetName: 's' });
  });

  it('vmNetworkOf keeps only what is set', () => {
    expect(vmNetworkOf({ networkId: MAPPED, ipAddress: '10.1.2.7' })).toEqual({ networkId: MAPPED, ipAddress: '10.1.2.7' });
    expect(vmNetworkOf({})).toEqual({});
  });
});

describe('nicViewOf', () => {
  it('shows the source network and the kept static address with the mapped network selected by default', () => {
    expect(nicViewOf({ vmName: 'vm', vmSize: 'Standard_D2s_v3' }, { source: staticNic, mappedNetworkId: MAPPED })).toEqual({
      vMNetworkName: 'corp',
      recoveryVMNetworkId: MAPPED,
      tfoVMNetworkId: MAPPED,
      selectionType: 'SelectedByDefault',
      ipConfigs: [
        {
          name: 'ipconfig1',
          isPrimary: true,
          subnetName: 'app',
          staticIPAddress: '10.1.2.7',
          ipAddressType: 'Static',
          isSeletedForFailover: true,
          recoverySubnetName: 'app',
          recoveryStaticIPAddress: '10.1.2.7',
          recoveryIPAddressType: 'Static',
          tfoSubnetName: 'app',
          tfoStaticIPAddress: '10.1.2.7',
        },
      ],
    });
  });

  it('without a reported adapter it shows the item settings (selected by the user)', () => {
    const view = nicViewOf({ vmName: 'vm', vmSize: 'x', networkId: OWN, subnetName: 'default', staticIpAddress: '10.0.0.7' });
    expect(view).toMatchObject({ recoveryVMNetworkId: OWN, selectionType: 'SelectedByUser', ipConfigs: [{ subnetName: 'default', staticIPAddress: '10.0.0.7', recoveryIPAddressType: 'Static' }] });
    expect(view).not.toHaveProperty('vMNetworkName');
  });
});
