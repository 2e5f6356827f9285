/** The host report's networks and adapters: optional (older reports stay valid), checked with the field named. */
import { describe, expect, it } from 'vitest';
import { siteReportSchema } from '../../../shared/infra/siteReportSchema.js';

const vm = (extra: Record<string, unknown> = {}) => ({
  id: 'vm-1',
  name: 'web-01',
  osType: 'Linux',
  generation: 2,
  cpuCount: 2,
  memoryMB: 2048,
  powerState: 'Running',
  disks: [{ id: 'd-1', name: 'os', sizeBytes: 1024, isOsDisk: true, container: 'site-disks', blobName: 'web/os.vhd' }],
  ...extra,
});
const report = (extra: Record<string, unknown> = {}, vms: unknown[] = [vm()]) => ({ vaultId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v', fabricName: 'site', hostName: 'hv-01', vms, ...extra });
const networks = [{ name: 'Corp Switch', subnets: [{ name: 'app', addressPrefixes: ['10.1.2.0/24'] }] }];

const issuePath = (value: unknown): string | undefined => {
  const result = siteReportSchema.safeParse(value);
  return result.success ? undefined : result.error.issues.map((issue) => issue.path.join('.')).join(' ');
};

describe('siteReportSchema networks and adapters', () => {
  it('a report without networks or adapters is valid, as before', () => {
    expect(issuePath(report())).toBeUndefined();
  });

  it('accepts networks with subnets and adapters with static addresses on them', () => {
    expect(issuePath(report({ networks, agentVersion: '1.0.0.0' }, [vm({ nics: [{ networkName: 'corp switch', ipAddress: '10.1.2.7', ipAddressType: 'Static' }, { networkName: 'Corp Switch' }] })]))).toBeUndefined();
  });

  it.each([
    ['an adapter on a network the report does not list', report({ networks }, [vm({ nics: [{ networkName: 'lab' }] })]), 'vms.0.nics.0.networkName'],
    ['adapters without a networks list', report({}, [vm({ nics: [{ networkName: 'corp' }] })]), 'vms.0.nics.0.networkName'],
    ['a static address type without an address', report({ networks }, [vm({ nics: [{ networkName: 'Corp Switch', ipAddressType: 'Static' }] })]), 'vms.0.nics.0.ipAddress'],
    ['an address that is not IPv4', report({ networks }, [vm({ nics: [{ networkName: 'Corp Switch', ipAddress: '10.1.2.300' }] })]), 'vms.0.nics.0.ipAddress'],
    ['a prefix without a length', report({ networks: [{ name: 'corp', subnets: [{ name: 'app', addressPrefixes: ['10.1.2.0'] }] }] }), 'networks.0.subnets.0.addressPrefixes.0'],
    ['two networks of one name', report({ networks: [{ name: 'corp' }, { name: 'CORP' }] }), 'networks'],
    ['a network name with a control character', report({ networks: [{ name: 'co\u0007rp' }] }), 'networks.0.name'],
    ['an unexpected field on an adapter', report({ networks }, [vm({ nics: [{ networkName: 'Corp Switch', mac: 'x' }] })]), 'vms.0.nics.0'],
    ['an agent version that is not one', report({ agentVersion: 'latest' }), 'agentVersion'],
  ])('rejects %s, naming the field', (_label, value, path) => {
    expect(issuePath(value)).toBe(path);
  });
});
