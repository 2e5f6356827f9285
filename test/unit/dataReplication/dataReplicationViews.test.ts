/** The DataReplication views of an item and a job, as pure functions of the record and its ASR view. */
import { describe, expect, it } from 'vitest';
import type { VaultRef } from '../../../shared/arm/resourceId.js';
import { dataReplicationStateNames } from '../../../shared/dataReplication/dataReplicationStateNames.js';
import { readAsrItemView } from '../../../shared/dataReplication/readAsrItemView.js';
import { dataReplicationJobState } from '../../../shared/dataReplication/toJobModel.js';
import { toProtectedItemModel } from '../../../shared/dataReplication/toProtectedItemModel.js';
import { enablingSnapshot, type ProtectionSnapshot } from '../../../shared/domain/protectionState.js';
import { jobError } from '../../../shared/jobs/jobModel.js';
import type { ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import { toProtectedItemResource } from '../../../shared/protection/protectedItemResource.js';

const vault: VaultRef = { subscriptionId: 'sub', resourceGroupName: 'rg', vaultName: 'v' };
const now = new Date('2026-01-01T12:00:00.000Z');
const protectedState: ProtectionSnapshot = { ...enablingSnapshot, protectionState: 'Protected' };

function record(patch: Partial<ProtectedItemRecord> = {}): ProtectedItemRecord {
  return {
    vault,
    name: 'web',
    fabricName: 'site',
    containerName: 'site-container',
    itemKey: '0123456789abcdef0123456789abcdef',
    friendlyName: 'web-01',
    protectableItemId: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/site/replicationProtectionContainers/site-container/replicationProtectableItems/vm-1',
    vmId: 'vm-1',
    osType: 'Windows',
    generation: 1,
    cpuCount: 4,
    memoryMB: 8192,
    policyName: 'policy',
    mappingName: 'mapping',
    recoveryFabricName: 'recovery',
    recoveryContainerName: 'recovery-container',
    disks: [{ diskId: 'd-1', name: 'os', sizeBytes: 3 * 1024 ** 3, isOsDisk: true, container: 'c', blobName: 'b' }],
    recovery: { vmName: 'web-01', vmSize: 'Standard_D2s_v3', networkId: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/prod' },
    state: protectedState,
    replication: { generation: 1, token: 't', active: true, touchedAt: now.toISOString(), startedAt: '2026-01-01T11:00:00.000Z', lastPointId: 'p-1', lastPointTime: '2026-01-01T11:59:50.000Z' },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...patch,
  };
}

const asrContext = { replicationIntervalSeconds: 30, replicaBlobUrl: (diskId: string) => `http://127.0.0.1:1/acct/recovery-x/replicas/k/${diskId}.vhd?sig=secret` };

describe('dataReplicationStateNames', () => {
  it('uses DataReplication names where they say more than the machine', () => {
    expect(dataReplicationStateNames(protectedState)).toMatchObject({ protectionState: 'Protected', testFailoverState: 'None', resynchronizationState: 'None' });
    expect(dataReplicationStateNames({ ...protectedState, protectionState: 'ResynchronizationInProgress' })).toMatchObject({
      protectionState: 'Protected',
      protectionStateDescription: 'Resynchronization in progress',
      resynchronizationState: 'ResynchronizationInitiated',
    });
    expect(dataReplicationStateNames({ ...protectedState, protectionState: 'CommitFailoverInProgress' }).protectionState).toBe('CommitFailoverInProgressOnRecovery');
    expect(dataReplicationStateNames({ ...protectedState, protectionState: 'CommitFailoverFailed', replicationDirection: 'RecoveryToPrimary' }).protectionState).toBe('CommitFailoverFailedOnPrimary');
    expect(dataReplicationStateNames({ ...protectedState, testFailoverState: 'WaitingForCompletion' })).toMatchObject({ testFailoverState: 'TestFailoverCompleted', testFailoverStateDescription: 'Waiting for user input' });
    expect(dataReplicationStateNames({ ...protectedState, protectionState: 'PlannedFailoverCompleted', activeLocation: 'Recovery', lastFailover: 'Planned' })).toMatchObject({
      protectionState: 'PlannedFailoverCompleted',
      protectionStateDescription: 'Planned failover finished',
    });
  });
});

describe('dataReplicationJobState', () => {
  it('names job states as DataReplication does', () => {
    expect(dataReplicationJobState({ state: 'NotStarted', errors: [] })).toBe('Pending');
    expect(dataReplicationJobState({ state: 'InProgress', errors: [] })).toBe('Started');
    expect(dataReplicationJobState({ state: 'InProgress', cancelRequested: true, errors: [] })).toBe('Cancelling');
    expect(dataReplicationJobState({ state: 'Succeeded', errors: [] })).toBe('Succeeded');
    expect(dataReplicationJobState({ state: 'Succeeded', errors: [{ ...jobError('W', 'w'), errorLevel: 'Warning' }] })).toBe('CompletedWithWarnings');
    expect(dataReplicationJobState({ state: 'Failed', errors: [jobError('E', 'e')] })).toBe('Failed');
  });
});

describe('toProtectedItemModel', () => {
  it('repeats the ASR view: health, progress and replicas; ids under the DataReplication vault', () => {
    const item = record();
    const asr = readAsrItemView(toProtectedItemResource(vault, item, now, asrContext));
    const model = toProtectedItemModel(vault, item, { asr, sourceHostName: 'hv-01', sourceNetworkName: 'corp' });
    const props = model.properties as any;
    expect(model.id).toBe('/subscriptions/sub/resourceGroups/rg/providers/Microsoft.DataReplication/replicationVaults/v/protectedItems/web');
    expect(props).toMatchObject({ protectionState: 'Protected', replicationHealth: 'Normal', policyName: 'policy', replicationExtensionName: 'mapping' });
    expect(props.healthErrors.map((e: { code: string }) => e.code)).toEqual(['161011']);
    expect(props.customProperties).toMatchObject({
      sourceVmName: 'web-01',
      sourceCpuCores: 4,
      sourceMemoryInMegaBytes: 8192,
      firmwareType: 'BIOS',
      hyperVGeneration: '1',
      initialReplicationProgressPercentage: 100,
      sourceApplianceName: 'hv-01',
      lastRecoveryPointId: `${model.id}/recoveryPoints/p-1`,
      sourceAzStackVirtualMachineId: item.protectableItemId,
      targetNetworkId: item.recovery.networkId,
    });
    expect(props.customProperties.disksToInclude).toEqual([{ diskId: 'd-1', diskSizeGB: 3, diskFileFormat: 'vhd', isOsDisk: true, isDynamic: false }]);
    expect(props.customProperties.protectedDisks[0].storageContainerLocalPath).toBe('http://127.0.0.1:1/acct/recovery-x/replicas/k/d-1.vhd');
    expect(props.customProperties.protectedNics).toEqual([{ nicId: 'vm-1-nic0', networkName: 'corp', targetNetworkId: item.recovery.networkId, selectionTypeForFailover: 'SelectedByUser' }]);
    expect(props.currentJob).toBeUndefined();
  });

  it('names the VM a failback to another site created as the source VM', () => {
    const item = record({ primary: { fabricName: 'site-2', vmId: 'vm-9', disks: [] } });
    const model = toProtectedItemModel(vault, item, { asr: readAsrItemView(toProtectedItemResource(vault, item, now, asrContext)) });
    expect((model.properties as any).customProperties.sourceAzStackVirtualMachineId).toBe(
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/site-2/replicationProtectionContainers/site-2-container/replicationProtectableItems/vm-9',
    );
    expect((model.properties as any).fabricObjectId).toBe(item.protectableItemId);
  });
});
