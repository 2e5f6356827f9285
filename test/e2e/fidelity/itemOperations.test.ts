/**
 * What an ASR script sees of a protected item through the official client, and the item operations
 * beyond the failover lifecycle: ASR's states, allowed operations, idle scenario, failover health and
 * job details; target compute sizes; adding and removing a disk (checked by hash); resolving a health
 * error; cancelling a failover (the VM back at the primary, the replica proven by hash) — and the same
 * answers at api-versions 2022-10-01 and 2025-08-01.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { reportInventory } from '../../../shared/site/hyperv/reportInventory.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { createClients, startService, type Service } from '../../support/clients.js';
import { armFetch, vaultPath } from '../infra/infraFixture.js';
import { itemView, protectNewVm, type ItemView } from '../lifecycle/lifecycleFixture.js';
import { FAST, MiB, prepareProtection, sha256, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';

const ITEM = 'ops-01';

describe('protected item operations, as ASR answers them', () => {
  let service: Service;
  let p: ProtectionVault;
  let vm: SiteVm;
  let v: ItemView;
  let recoverySite: HyperVSite;
  const itemPath = () => `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${ITEM}`;
  const rawItem = async () => (await armFetch(service, 'GET', itemPath())).json as { properties: { providerSpecificDetails: { azureVmDiskDetails: Array<{ diskId: string; protectionState: string }> }; healthErrors: Array<{ errorId: string; errorCode: string }> } };
  const report = () =>
    reportInventory(p.hyperV, { serviceUrl: service.baseUrl.replace(/\/api$/, '/'), registrationKey: p.registrationKey, vaultId: vaultPath(p.sub, p.rg, p.vault), fabricName: p.site, hostName: 'hv-host-01' });
  const statusOf = async (call: () => Promise<unknown>): Promise<number | undefined> => {
    try {
      await call();
      return undefined;
    } catch (error) {
      return (error as { statusCode?: number }).statusCode;
    }
  };
  /** SHA-256 of one disk's replica snapshot in the item's latest recovery point. */
  const latestPointHash = async (diskId: string): Promise<string | undefined> => {
    const record = await v.record();
    const point = await v.point(record.replication.lastPointId!);
    const disk = point.disks.find((candidate) => candidate.diskId === diskId);
    if (!disk) return undefined;
    return sha256(await p.hyperV.blobs.getContainerClient(disk.container).getPageBlobClient(disk.replicaBlob).withSnapshot(disk.snapshot).downloadToBuffer());
  };
  const pointAfterNow = () => v.pointAfter(new Date().toISOString());

  beforeAll(async () => {
    service = await startService();
    p = await prepareProtection(service, 5);
    vm = await protectNewVm(p, ITEM, [2 * MiB, 1 * MiB]);
    v = itemView(p, ITEM, vm);
    recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('shows a Protected item as ASR does: operations, idle scenario, failover health until drilled, disks Protected, job details', async () => {
    const item = await waitForItem(p, ITEM, (i) => i.properties?.currentScenario?.scenarioName === 'None');
    expect(item.properties).toMatchObject({
      protectionState: 'Protected',
      protectionStateDescription: 'Protected',
      testFailoverState: 'None',
      allowedOperations: ['PlannedFailover', 'UnplannedFailover', 'DisableProtection', 'TestFailover', 'RepairReplication'],
      failoverHealth: 'Warning',
      currentScenario: { scenarioName: 'None', jobId: `${vaultPath(p.sub, p.rg, p.vault)}/replicationJobs/None` },
    });
    expect(item.properties?.currentScenario?.startTime?.toISOString()).toBe('1753-01-01T01:01:01.000Z');
    expect(item.properties?.healthErrors?.map((error) => [error.errorCode, error.errorCategory])).toContainEqual(['161011', 'TestFailover']);
    expect((await rawItem()).properties.providerSpecificDetails.azureVmDiskDetails.map((disk) => disk.protectionState)).toEqual(['Protected', 'Protected']);

    const jobs = [];
    for await (const job of p.sr.replicationJobs.list(p.vault, p.rg)) jobs.push(job);
    const enable = jobs.find((job) => job.properties?.scenarioName === 'EnableDr');
    const initial = jobs.find((job) => job.properties?.scenarioName === 'IrCompletion');
    expect(enable?.properties).toMatchObject({ friendlyName: 'Enable replication', targetInstanceType: 'ProtectionEntity' });
    expect(initial?.properties?.friendlyName).toBe('Finalize protection on the virtual machine');
    for (const job of [enable, initial]) {
      expect(job?.properties?.customDetails).toMatchObject({ instanceType: 'AsrJobDetails', affectedObjectDetails: { PrimaryVmName: ITEM, PrimaryVmId: vm.id } });
    }
  });

  it('lists the recovery site compute sizes with what keeps each from running the VM; an update to a size that cannot is a 400', async () => {
    const sizes = [];
    for await (const size of p.sr.targetComputeSizes.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, ITEM)) sizes.push(size);
    const byName = new Map(sizes.map((size) => [size.name, size.properties]));
    expect(byName.get('Standard_D2s_v3')).toMatchObject({ cpuCoresCount: 2, memoryInGB: 8, maxDataDiskCount: 4 });
    expect(byName.get('Standard_D2s_v3')?.errors ?? []).toEqual([]);
    expect(byName.get('Basic_A0')?.errors?.map((error) => [error.severity, error.message])).toEqual([['Error', "Size 'Basic_A0' does not run generation 2 virtual machines."]]);
    expect(sizes[0]?.type).toBe('Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems/targetComputeSizes');

    const update = await armFetch(service, 'PATCH', itemPath(), { body: { properties: { recoveryAzureVMSize: 'Basic_A0' } } });
    expect(update.status).toBe(400);
    expect(update.json.error.message).toContain('properties.recoveryAzureVMSize');
    expect((await v.get()).properties?.providerSpecificDetails).toMatchObject({ recoveryAzureVMSize: 'Standard_D2s_v3' });
  });

  it('adds a disk attached at the site: it is copied in full and shows Protected once a point holds it; removing it stops its replication', async () => {
    const disk = await p.hyperV.attachDisk(vm.id, { sizeBytes: 1 * MiB, contents: { kind: 'random', fraction: 1 } });
    await report();
    const staging = `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.Storage/storageAccounts/staging`;
    const added = await p.sr.replicationProtectedItems.beginAddDisksAndWait(
      p.vault, p.rg, p.site, p.container, ITEM,
      { properties: { providerSpecificDetails: { instanceType: 'A2A', vmManagedDisks: [{ diskId: disk.id, primaryStagingAzureStorageAccountId: staging, recoveryResourceGroupId: `/subscriptions/${p.sub}/resourceGroups/recovery-rg` }] } } },
      FAST,
    );
    const details = added.properties?.providerSpecificDetails as { azureVmDiskDetails?: Array<{ diskId?: string }> } | undefined;
    expect(details?.azureVmDiskDetails?.map((d) => d.diskId)).toEqual([...vm.disks.map((d) => d.id), disk.id]);

    await pointAfterNow();
    await pointAfterNow();
    const disks = (await rawItem()).properties.providerSpecificDetails.azureVmDiskDetails;
    expect(disks.find((d) => d.diskId === disk.id)?.protectionState).toBe('Protected');
    expect(await latestPointHash(disk.id)).toBe(sha256(await p.hyperV.readDisk(vm.id, disk.id)));

    const again = await armFetch(service, 'POST', `${itemPath()}/addDisks`, { body: { properties: { providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', disksToInclude: [disk.id] } } } });
    expect(again.status).toBe(400);
    expect(again.json.error.message).toContain('properties.providerSpecificDetails.disksToInclude.0');
    const osDisk = vm.disks.find((d) => d.isOsDisk)!;
    const removeOs = await armFetch(service, 'POST', `${itemPath()}/removeDisks`, { body: { properties: { providerSpecificDetails: { instanceType: 'A2A', vmManagedDisksIds: [osDisk.id] } } } });
    expect(removeOs.status).toBe(400);
    expect(removeOs.json.error.message).toContain('OS disk');

    await p.sr.replicationProtectedItems.beginRemoveDisksAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { providerSpecificDetails: { instanceType: 'A2A', vmManagedDisksIds: [disk.id] } } }, FAST);
    expect((await v.record()).disks.map((d) => d.diskId)).toEqual(vm.disks.map((d) => d.id));
    await pointAfterNow();
    await pointAfterNow();
    expect(await latestPointHash(disk.id)).toBeUndefined();
    const jobs = [];
    for await (const job of p.sr.replicationJobs.list(p.vault, p.rg)) jobs.push(job);
    expect(jobs.filter((job) => ['AddDisks', 'RemoveDisks'].includes(job.properties?.scenarioName ?? '')).map((job) => job.properties?.state)).toEqual(['Succeeded', 'Succeeded']);
  });

  it('planned failover shows ASR state, operations and FailoverJobDetails; a recorded failure is resolved; cancel failover brings the VM home and proves the replica', async () => {
    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    const failedOver = await v.get();
    expect(failedOver.properties).toMatchObject({
      protectionState: 'PlannedFailoverCommitRequired',
      protectionStateDescription: 'Planned failover finished',
      activeLocation: 'Recovery',
      allowedOperations: ['Commit', 'DisableProtection', 'ChangePit', 'ReverseReplicate', 'CancelFailover'],
    });
    const jobs = [];
    for await (const job of p.sr.replicationJobs.list(p.vault, p.rg, { filter: "scenarioName eq 'PlannedFailover'" })) jobs.push(job);
    expect(jobs[0]?.properties?.customDetails).toMatchObject({ instanceType: 'FailoverJobDetails', protectedItemDetails: [{ name: ITEM, friendlyName: ITEM }] });
    const recoveryVmId = (await v.record()).recoveryVm!.vmId;
    expect((await recoverySite.getVm(recoveryVmId))?.powerState).toBe('Running');

    // A replication failure recorded while failed over (nothing replicates, so it stays) is resolved by the operator.
    const partition = vaultPartition(p.ref);
    const row = await p.services.plane.repository.get<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, [p.site, p.container, ITEM]);
    const failure = { code: 'ReplicationCycleFailed', message: 'The source disk could not be read.', time: new Date().toISOString() };
    await p.services.plane.repository.replace(row!, { ...row!.value, replication: { ...row!.value.replication, lastCycleError: failure } });
    const shown = (await rawItem()).properties.healthErrors.find((error) => error.errorCode === 'ReplicationCycleFailed');
    expect(shown?.errorId).toBe(`ReplicationCycleFailed@${failure.time}`);
    expect(await statusOf(() => p.sr.replicationProtectedItems.beginResolveHealthErrorsAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { healthErrors: [{ healthErrorId: 'no-such-error' }] } }, FAST))).toBe(400);
    expect(await statusOf(() => p.sr.replicationProtectedItems.beginResolveHealthErrorsAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { healthErrors: [{ healthErrorId: '161011' }] } }, FAST))).toBe(400);
    const resolved = await p.sr.replicationProtectedItems.beginResolveHealthErrorsAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { healthErrors: [{ healthErrorId: shown!.errorId }] } }, FAST);
    expect(resolved.properties?.healthErrors?.map((error) => error.errorCode)).not.toContain('ReplicationCycleFailed');

    const cancelled = await p.sr.replicationProtectedItems.beginFailoverCancelAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    expect(cancelled.properties).toMatchObject({ protectionState: 'Protected', activeLocation: 'Primary' });
    expect(await recoverySite.getVm(recoveryVmId)).toBeUndefined();
    expect(await p.hyperV.getVm(vm.id)).toMatchObject({ powerState: 'Running', fenced: false });
    const record = await v.record();
    expect(record.replication.lastCycle?.kind).toBe('resync');
    expect(record.recoveryVm).toBeUndefined();
    for (const disk of vm.disks) expect(await latestPointHash(disk.id)).toBe(sha256(await p.hyperV.readDisk(vm.id, disk.id)));
    const cancelJobs = [];
    for await (const job of p.sr.replicationJobs.list(p.vault, p.rg, { filter: "scenarioName eq 'CancelFailover'" })) cancelJobs.push(job);
    expect(cancelJobs.map((job) => [job.properties?.friendlyName, job.properties?.state])).toEqual([['Cancel failover', 'Succeeded']]);
    expect(await statusOf(() => p.sr.replicationProtectedItems.beginFailoverCancelAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST))).toBe(409);
  });

  it('answers an older and a newer client alike: api-versions 2022-10-01 and 2025-08-01 behave as 2023-06-01', async () => {
    const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, inner: unknown) => (['lastRpoCalculatedTime', 'rpoInSeconds', 'lastReplicatedTime', 'lastRecoveryPointReceived', 'creationTimeUtc'].includes(key) ? undefined : inner))) as unknown;
    const current = await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, ITEM);
    for (const apiVersion of ['2022-10-01', '2025-08-01']) {
      const sr = createClients(service.baseUrl, service.functionKey, p.sub, apiVersion).siteRecovery;
      const item = await sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, ITEM);
      expect(strip(item)).toEqual(strip(current));
      const fabrics = [];
      for await (const fabric of sr.replicationFabrics.list(p.vault, p.rg)) fabrics.push(fabric.name);
      expect(fabrics.sort()).toEqual([p.recovery, p.site].sort());
      const repaired = await sr.replicationProtectedItems.beginRepairReplicationAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
      expect(repaired.properties?.protectionState).toBe('Protected');
      const raw = await armFetch(service, 'GET', `${vaultPath(p.sub, p.rg, p.vault)}/replicationPolicies`, { apiVersion });
      expect(raw.status).toBe(200);
    }
  });
});
