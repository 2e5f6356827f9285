/** The protected item's resource view and the update of its recovery settings, as pure functions. */
import { describe, expect, it } from 'vitest';
import type { VaultRef } from '../../../shared/arm/resourceId.js';
import { enablingSnapshot } from '../../../shared/domain/protectionState.js';
import { HttpError } from '../../../shared/errors/HttpError.js';
import type { ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import { toProtectedItemResource, withoutQuery } from '../../../shared/protection/protectedItemResource.js';
import { updatedRecoverySettings } from '../../../shared/protection/updateProtectedItem.js';

const vault: VaultRef = { subscriptionId: 'sub', resourceGroupName: 'rg', vaultName: 'v' };
const now = new Date('2026-01-01T12:00:00.000Z');

function record(patch: Partial<ProtectedItemRecord> = {}): ProtectedItemRecord {
  return {
    vault,
    name: 'web',
    fabricName: 'site',
    containerName: 'site-container',
    itemKey: '0123456789abcdef0123456789abcdef',
    friendlyName: 'web-01',
    protectableItemId: '/subscriptions/sub/x',
    vmId: 'vm-1',
    osType: 'Linux',
    generation: 2,
    cpuCount: 2,
    memoryMB: 2048,
    policyName: 'policy',
    mappingName: 'mapping',
    recoveryFabricName: 'recovery',
    recoveryContainerName: 'recovery-container',
    disks: [{ diskId: 'd-1', name: 'os', sizeBytes: 3 * 1024 * 1024 + 512, isOsDisk: true, container: 'c', blobName: 'b' }],
    recovery: { vmName: 'web-01', vmSize: 'Standard_D2s_v3' },
    state: { ...enablingSnapshot, protectionState: 'Protected' },
    replication: {
      generation: 1,
      token: 't',
      active: true,
      touchedAt: now.toISOString(),
      startedAt: '2026-01-01T11:00:00.000Z',
      lastPointTime: '2026-01-01T11:59:00.000Z',
      initialReplicationPercent: 100,
    },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...patch,
  };
}

const context = { replicationIntervalSeconds: 30, replicaBlobUrl: (diskId: string) => `http://127.0.0.1:1/acct/recovery-x/replicas/k/${diskId}.vhd?sv=1&sig=secret` };

describe('toProtectedItemResource', () => {
  it('shows the item as ASR does, with replica URLs stripped of any SAS', () => {
    const resource = toProtectedItemResource(vault, record(), now, context);
    expect(resource.id).toBe('/subscriptions/sub/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/site/replicationProtectionContainers/site-container/replicationProtectedItems/web');
    const props = resource.properties as any;
    expect(props).toMatchObject({
      protectionState: 'Protected',
      protectionStateDescription: 'Protected',
      activeLocation: 'Primary',
      testFailoverState: 'None',
      currentScenario: { scenarioName: 'None' },
      policyId: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationPolicies/policy',
    });
    expect(props.providerSpecificDetails.azureVmDiskDetails[0]).toMatchObject({ vhdId: 'd-1', maxSizeMB: '4', vhdType: 'OperatingSystem', targetDiskLocation: 'http://127.0.0.1:1/acct/recovery-x/replicas/k/d-1.vhd' });
    expect(props.providerSpecificDetails.rpoInSeconds).toBe(60);
    expect(props.providerSpecificDetails.initialReplicationDetails.initialReplicationProgressPercentage).toBe('100');
  });

  it('reports lagging replication against the policy interval', () => {
    const props = toProtectedItemResource(vault, record(), now, { ...context, replicationIntervalSeconds: 5 }).properties as any;
    expect(props.replicationHealth).toBe('Critical');
    expect(props.healthErrors[0]).toMatchObject({ errorCode: 'RpoThresholdExceeded', recommendedAction: expect.any(String) });
  });

  it('withoutQuery drops the query of a URL', () => {
    expect(withoutQuery('http://127.0.0.1:1/a/b.vhd?snapshot=1&sig=x')).toBe('http://127.0.0.1:1/a/b.vhd');
  });
});

describe('updatedRecoverySettings', () => {
  const network = '/subscriptions/sub/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet';

  it('applies compute and network settings', () => {
    const next = updatedRecoverySettings(record(), {
      recoveryAzureVMName: 'web-dr',
      recoveryAzureVMSize: 'Standard_D4s_v3',
      selectedRecoveryAzureNetworkId: network,
      vmNics: [{ nicId: 'vm-1-nic0', ipConfigs: [{ isPrimary: true, recoverySubnetName: 'default', recoveryStaticIPAddress: '10.1.0.4' }] }],
    });
    expect(next).toMatchObject({ vmName: 'web-dr', vmSize: 'Standard_D4s_v3', networkId: network, subnetName: 'default', staticIpAddress: '10.1.0.4' });
  });

  it.each([
    ['an unknown adapter', { vmNics: [{ nicId: 'other' }] }, 'properties.vmNics.0.nicId'],
    ['a network id of another type', { selectedRecoveryAzureNetworkId: '/subscriptions/sub/resourceGroups/x/providers/Microsoft.Storage/storageAccounts/y' }, 'properties.selectedRecoveryAzureNetworkId'],
    ['a static IP without a network', { vmNics: [{ nicId: 'vm-1-nic0', ipConfigs: [{ recoveryStaticIPAddress: '10.1.0.4' }] }] }, 'properties.vmNics'],
  ])('refuses %s naming the field', (_label, input, target) => {
    let thrown: unknown;
    try {
      updatedRecoverySettings(record(), input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ status: 400, target });
  });
});
