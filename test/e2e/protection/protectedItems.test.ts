/**
 * Protected items through the official client against the local host on Azurite: enable
 * protection to Protected with recovery points whose replicas equal the source byte for byte,
 * update, bad inputs that change nothing, racing commands, and disable that leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROW } from '../../../shared/infra/rowKinds.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { runWorkload } from '../../../shared/site/hyperv/runWorkload.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { all, armFetch } from '../infra/infraFixture.js';
import { startService, type Service } from '../../support/clients.js';
import { enableInput, FAST, MiB, prepareProtection, sha256, waitForItem, waitForJob, type ProtectionVault } from './protectionFixture.js';

let service: Service;
let p: ProtectionVault;
let vms: SiteVm[];

const names = ['web-01', 'app-01', 'db-01'];

beforeAll(async () => {
  service = await startService();
  p = await prepareProtection(service, 5);
  vms = await p.addVms(
    names.map((name) => ({
      name,
      osType: 'Linux' as const,
      disks: [
        { sizeBytes: 2 * MiB, isOsDisk: true, contents: { kind: 'random' as const, fraction: 0.5 } },
        { sizeBytes: MiB, contents: { kind: 'pattern' as const, byte: 7 } },
      ],
    })),
  );
});

afterAll(async () => {
  await service?.stop();
});

const itemPath = (itemName: string): string =>
  `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${itemName}`;

/** Hashes of every disk of a VM (whole content). */
async function diskHashes(vm: SiteVm): Promise<string[]> {
  return Promise.all(vm.disks.map(async (disk) => sha256(await p.hyperV.readDisk(vm.id, disk.id))));
}

/** Hashes of a recovery point's replica snapshots, in the VM's disk order. */
async function pointHashes(itemName: string, pointId: string, vm: SiteVm): Promise<string[]> {
  const point = await p.services.points.get(p.itemKey(itemName), pointId);
  if (!point) throw new Error(`point ${pointId} missing`);
  return Promise.all(
    vm.disks.map(async (disk) => {
      const replica = point.disks.find((d) => d.diskId === disk.id);
      if (!replica) throw new Error(`disk ${disk.id} missing from point`);
      const blob = p.services.recoverySite(p.ref, p.recovery).blobs.getContainerClient(replica.container).getBlobClient(replica.replicaBlob).withSnapshot(replica.snapshot);
      return sha256(await blob.downloadToBuffer());
    }),
  );
}

/** Counts of what a bad request must not change: the container's items and the vault's jobs. */
async function snapshotOfVault(): Promise<{ items: number; jobs: number }> {
  const items = await all(p.sr.replicationProtectedItems.listByReplicationProtectionContainers(p.vault, p.rg, p.site, p.container));
  const jobs = await all(p.sr.replicationJobs.list(p.vault, p.rg));
  return { items: items.length, jobs: jobs.length };
}

describe('replication protected items', () => {
  it('enables protection for three VMs; each reaches Protected with a recovery point', async () => {
    const items = await Promise.all(
      vms.map((vm, index) => p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, names[index]!, enableInput(p, vm), FAST)),
    );
    for (const [index, item] of items.entries()) {
      expect(item.name).toBe(names[index]);
      expect(item.properties).toMatchObject({ friendlyName: names[index], protectedItemType: 'HyperVVirtualMachine', primaryFabricFriendlyName: p.site, recoveryFabricFriendlyName: p.recovery });
      expect(['InitialReplicationInProgress', 'Protected']).toContain(item.properties?.protectionState);
    }
    for (const [index, name] of names.entries()) {
      const item = await waitForItem(p, name, (i) => i.properties?.protectionState === 'Protected' && i.properties.currentScenario?.scenarioName === 'None');
      const props = item.properties!;
      expect(props.allowedOperations).toEqual(expect.arrayContaining(['TestFailover', 'PlannedFailover', 'UnplannedFailover', 'RepairReplication', 'DisableProtection']));
      expect(props.replicationHealth).toBe('Normal');
      expect(props.policyFriendlyName).toBe('policy');
      const details = props.providerSpecificDetails as any;
      expect(details.instanceType).toBe('HyperVReplicaAzure');
      expect(details.initialReplicationDetails).toEqual({ initialReplicationType: 'InitialReplication', initialReplicationProgressPercentage: '100' });
      expect(details.recoveryAzureVmName).toBe(names[index]);
      expect(details.recoveryAzureVMSize).toBe('Standard_D2s_v3');
      expect(details.vmId).toBe(vms[index]!.id);
      expect(details.lastRecoveryPointReceived).toBeInstanceOf(Date);
      expect(details.azureVmDiskDetails).toHaveLength(2);
      for (const disk of details.azureVmDiskDetails) {
        expect(disk.targetDiskLocation).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\/replicas\/[0-9a-f]{32}\/.+\.vhd$/);
        expect(disk.targetDiskLocation).not.toContain('sig=');
      }
      const points = await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, name));
      expect(points.length).toBeGreaterThanOrEqual(1);
      expect(points[0]!.properties?.recoveryPointType).toBe('CrashConsistent');
      expect(points[0]!.properties?.recoveryPointTime).toBeInstanceOf(Date);
      const one = await p.sr.recoveryPoints.get(p.vault, p.rg, p.site, p.container, name, points[0]!.name!);
      expect(one.id).toBe(points[0]!.id);
      expect(await pointHashes(name, points[0]!.name!, vms[index]!)).toEqual(await diskHashes(vms[index]!));
    }
    const protectable = await p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, p.container, vms[0]!.id);
    expect(protectable.properties?.protectionStatus).toBe('Protected');
    const raw = await armFetch(service, 'GET', `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectableItems/${vms[0]!.id}`);
    expect(raw.json.properties.customDetails.diskDetails[0].sourceDiskUri).toBe(p.hyperV.container.getBlobClient(vms[0]!.disks[0]!.blobName).url);
    const jobs = await all(p.sr.replicationJobs.list(p.vault, p.rg));
    const enableJobs = jobs.filter((job) => job.properties?.scenarioName === 'EnableDr');
    expect(enableJobs).toHaveLength(3);
    expect(enableJobs.every((job) => job.properties?.state === 'Succeeded')).toBe(true);
    expect(enableJobs[0]!.properties?.tasks?.map((task) => task.name)).toEqual([
      'Prerequisites check for enabling protection',
      'Identifying the replication target',
      'Enable replication',
      'Starting initial replication',
      'Updating the provider states',
    ]);
    await expect.poll(async () => (await all(p.sr.replicationJobs.list(p.vault, p.rg))).filter((job) => job.properties?.scenarioName === 'IrCompletion' && job.properties.state === 'Succeeded').length, { timeout: 10_000 }).toBe(3);
    const mappingPath = `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectionContainerMappings/mapping`;
    const mappingRemoval = await armFetch(service, 'DELETE', mappingPath);
    expect(mappingRemoval.status).toBe(409);
    expect(mappingRemoval.json.error.message).toContain(`replication protected item '${names[0]}'`);
    const byVault = await all(p.sr.replicationProtectedItems.list(p.vault, p.rg));
    expect(byVault.map((item) => item.name).sort()).toEqual([...names].sort());
  });

  it('a later recovery point holds the writes made after the first, byte for byte', async () => {
    const vm = vms[0]!;
    const name = names[0]!;
    const workload = await runWorkload(p.hyperV, vm.id, { maxWrites: 12, writesPerSecond: 0 });
    await workload.done;
    const written = new Date();
    const expected = await diskHashes(vm);
    await waitForItem(p, name, (item) => {
      const received = (item.properties?.providerSpecificDetails as any)?.lastRecoveryPointReceived as Date | undefined;
      return received !== undefined && received.getTime() > written.getTime();
    });
    const points = await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, name));
    const pointId = points[0]!.name!;
    expect(points[0]!.properties!.recoveryPointTime!.getTime()).toBeGreaterThan(written.getTime());
    expect(await pointHashes(name, pointId, vm)).toEqual(expected);
  });

  it('updates the recovery VM settings and refuses bad ones', async () => {
    const name = names[1]!;
    const network = `/subscriptions/${p.sub}/resourceGroups/recovery-rg/providers/Microsoft.Network/virtualNetworks/recovery-net`;
    const updated = await p.sr.replicationProtectedItems.beginUpdateAndWait(
      p.vault,
      p.rg,
      p.site,
      p.container,
      name,
      {
        properties: {
          recoveryAzureVMName: 'app-01-dr',
          recoveryAzureVMSize: 'Standard_D4s_v3',
          selectedRecoveryAzureNetworkId: network,
          vmNics: [{ nicId: `${vms[1]!.id}-nic0`, ipConfigs: [{ isPrimary: true, recoverySubnetName: 'default', recoveryStaticIPAddress: '10.0.0.7' }] }],
          providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryAzureV2ResourceGroupId: `/subscriptions/${p.sub}/resourceGroups/recovery-rg` },
        },
      },
      FAST,
    );
    const details = updated.properties?.providerSpecificDetails as any;
    expect(details).toMatchObject({ recoveryAzureVmName: 'app-01-dr', recoveryAzureVMSize: 'Standard_D4s_v3', selectedRecoveryAzureNetworkId: network, recoveryAzureResourceGroupId: `/subscriptions/${p.sub}/resourceGroups/recovery-rg` });
    expect(details.vmNics[0].ipConfigs[0]).toMatchObject({ subnetName: 'default', staticIPAddress: '10.0.0.7' });
    const jobs = await all(p.sr.replicationJobs.list(p.vault, p.rg));
    expect(jobs.some((job) => job.properties?.scenarioName === 'UpdateVmProperties' && job.properties.state === 'Succeeded')).toBe(true);

    const before = await snapshotOfVault();
    const bad = await armFetch(service, 'PATCH', itemPath(name), { body: { properties: { selectedRecoveryAzureNetworkId: `/subscriptions/${p.sub}/resourceGroups/x/providers/Microsoft.Storage/storageAccounts/y` } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.target).toBe('properties.selectedRecoveryAzureNetworkId');
    const badIp = await armFetch(service, 'PATCH', itemPath(name), { body: { properties: { vmNics: [{ nicId: `${vms[1]!.id}-nic0`, ipConfigs: [{ recoveryStaticIPAddress: '10.0.0.300' }] }] } } });
    expect(badIp.status).toBe(400);
    expect(badIp.json.error.message).toContain('recoveryStaticIPAddress');
    expect(await snapshotOfVault()).toEqual(before);
  });

  it('refuses bad enable requests with a 4xx naming the problem and changes nothing', async () => {
    const [extra] = await p.addVms([{ name: 'spare-01', disks: [{ sizeBytes: MiB, isOsDisk: true }] }]);
    const before = await snapshotOfVault();
    const body = enableInput(p, extra!);
    const cases: Array<[string, Parameters<typeof armFetch>[3], number, string]> = [
      ['unknown VM', { body: { properties: { ...body.properties, protectableItemId: p.protectableItemId('4f2c6a44-0000-0000-0000-000000000000') } } }, 404, 'properties.protectableItemId'],
      ['wrong instanceType', { body: { properties: { ...body.properties, providerSpecificDetails: { ...body.properties.providerSpecificDetails, instanceType: 'A2A' } } } }, 400, 'properties.providerSpecificDetails.instanceType'],
      ['an unknown disk', { body: { properties: { ...body.properties, providerSpecificDetails: { ...body.properties.providerSpecificDetails, disksToInclude: ['nope'] } } } }, 400, 'properties.providerSpecificDetails.disksToInclude.0'],
      ['a policy id of another vault', { body: { properties: { ...body.properties, policyId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.RecoveryServices/vaults/z/replicationPolicies/policy' } } }, 400, 'properties.policyId'],
      ['a target network that is not a virtual network', { body: { properties: { ...body.properties, providerSpecificDetails: { ...body.properties.providerSpecificDetails, targetAzureNetworkId: `/subscriptions/${p.sub}/resourceGroups/net` } } } }, 400, 'properties.providerSpecificDetails.targetAzureNetworkId'],
      ['malformed JSON', { rawBody: '{"properties": {' }, 400, ''],
    ];
    for (const [label, options, status, target] of cases) {
      const response = await armFetch(service, 'PUT', itemPath('spare'), options);
      expect(response.status, label).toBe(status);
      if (target) expect(response.json.error.target, label).toBe(target);
    }
    const quote = await armFetch(service, 'PUT', itemPath("spa're"), { body });
    expect(quote.status).toBe(400);
    expect(quote.json.error.code).toBe('InvalidResourceName');
    const slash = await armFetch(service, 'PUT', itemPath('spa%2Fre'), { body });
    expect(slash.status).toBeGreaterThanOrEqual(400);
    expect(slash.status).toBeLessThan(500);
    // The same VM under another name while it is protected: 409.
    const again = await armFetch(service, 'PUT', itemPath('web-01-again'), { body: enableInput(p, vms[0]!) });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('VmAlreadyProtected');
    // A host that has stopped reporting makes the site unhealthy: enabling is refused with its error.
    const partition = vaultPartition(p.ref);
    const stale = { fabricName: p.site, hostName: 'hv-host-03', reportedAt: new Date(Date.now() - 3600_000).toISOString(), vms: [] };
    await p.services.plane.repository.upsert(partition, ROW.siteHost, [p.site, 'hv-host-03'], stale);
    const unhealthy = await armFetch(service, 'PUT', itemPath('spare'), { body });
    await p.services.plane.repository.delete(partition, ROW.siteHost, [p.site, 'hv-host-03']);
    expect(unhealthy.status).toBe(409);
    expect(unhealthy.json.error).toMatchObject({ code: 'SiteHostHeartbeatMissing', message: expect.stringContaining("'hv-host-03'") });
    // A repeated PUT of an existing item for the same VM returns it without a new job.
    const repeated = await armFetch(service, 'PUT', itemPath(names[2]!), { body: enableInput(p, vms[2]!) });
    expect(repeated.status).toBe(200);
    expect(repeated.json.name).toBe(names[2]);
    expect(await snapshotOfVault()).toEqual(before);
  });

  it('two enables of one VM under different names at once: one 202, one 409', async () => {
    const spare = (await p.hyperV.listVms()).find((vm) => vm.name === 'spare-01')!;
    const [first, second] = await Promise.all(['spare-a', 'spare-b'].map((name) => armFetch(service, 'PUT', itemPath(name), { body: enableInput(p, spare) })));
    expect([first!.status, second!.status].sort()).toEqual([202, 409]);
    const winner = first!.status === 202 ? 'spare-a' : 'spare-b';
    await waitForItem(p, winner, (item) => item.properties?.protectionState === 'Protected');
    const items = await all(p.sr.replicationProtectedItems.listByReplicationProtectionContainers(p.vault, p.rg, p.site, p.container));
    expect(items.filter((item) => item.name?.startsWith('spare-')).map((item) => item.name)).toEqual([winner]);
  });

  it('two racing commands on one item: one 202, one 409 naming why', async () => {
    const name = names[2]!;
    const [remove, repair] = await Promise.all([
      armFetch(service, 'POST', `${itemPath(name)}/remove`, { body: { properties: { disableProtectionReason: 'NotSpecified' } } }),
      armFetch(service, 'POST', `${itemPath(name)}/repairReplication`),
    ]);
    expect([remove.status, repair.status].sort()).toEqual([202, 409]);
    const loser = remove.status === 409 ? remove : repair;
    expect(['OperationInProgress', 'OperationNotAllowed']).toContain(loser.json.error.code);
    if (loser.json.error.code === 'OperationNotAllowed') expect(loser.json.error.message).toContain('Allowed operations:');
    const winner = remove.status === 202 ? remove : repair;
    const jobId = new URL(winner.headers.get('azure-asyncoperation')!).pathname.split('/').pop()!;
    expect(await waitForJob(p, jobId)).toBe('Succeeded');
    if (repair.status === 202) {
      const item = await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, name);
      expect(item.properties?.protectionState).toBe('Protected');
      // While the item is being disabled, a repair is refused with the allowed operations.
      const poller = await p.sr.replicationProtectedItems.beginDelete(p.vault, p.rg, p.site, p.container, name, { properties: {} }, FAST);
      const refused = await armFetch(service, 'POST', `${itemPath(name)}/repairReplication`);
      expect(refused.status).toBe(409);
      await poller.pollUntilDone();
    }
    await expect(p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, name)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('repairs replication by resynchronising, back to Protected', async () => {
    const name = names[1]!;
    // A retried request (same client request id) gets the job the first one started.
    const headers = { 'x-ms-client-request-id': randomUUID() };
    const first = await armFetch(service, 'POST', `${itemPath(name)}/repairReplication`, { headers });
    const retried = await armFetch(service, 'POST', `${itemPath(name)}/repairReplication`, { headers });
    expect([first.status, retried.status]).toEqual([202, 202]);
    expect(retried.headers.get('azure-asyncoperation')).toBe(first.headers.get('azure-asyncoperation'));
    const resyncing = await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, name);
    expect(resyncing.properties?.allowedOperations).not.toContain('RepairReplication');
    expect(await waitForJob(p, new URL(first.headers.get('azure-asyncoperation')!).pathname.split('/').pop()!)).toBe('Succeeded');
    const repaired = await p.sr.replicationProtectedItems.beginRepairReplicationAndWait(p.vault, p.rg, p.site, p.container, name, FAST);
    expect(repaired.properties?.protectionState).toBe('Protected');
    const points = await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, name));
    expect(await pointHashes(name, points[0]!.name!, vms[1]!)).toEqual(await diskHashes(vms[1]!));
  });

  it('an enable whose VM is gone from the site fails; the item can then be disabled', async () => {
    const ghost: SiteVm = {
      id: randomUUID(),
      name: 'ghost-01',
      osType: 'Linux',
      generation: 2,
      cpuCount: 1,
      memoryMB: 1024,
      powerState: 'Running',
      fenced: false,
      disks: [{ id: randomUUID(), name: 'ghost-os', sizeBytes: MiB, isOsDisk: true, container: p.hyperV.containerName, blobName: 'ghost/os.vhd' }],
    };
    const report = await armFetch(service, 'POST', '/hyperVSites/report', {
      apiVersion: null,
      key: null,
      headers: { 'x-ms-registration-key': p.registrationKey },
      body: { vaultId: `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}`, fabricName: p.site, hostName: 'hv-host-02', vms: [{ ...ghost, disks: ghost.disks.map((d) => ({ ...d, container: p.hyperV.containerName })) }] },
    });
    expect(report.status).toBe(200);
    await expect(p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, 'ghost', enableInput(p, ghost), FAST)).rejects.toThrow(/SourceVmNotFound/);
    const failed = await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, 'ghost');
    expect(failed.properties).toMatchObject({ protectionState: 'EnablingFailed', allowedOperations: ['DisableProtection'] });
    await p.sr.replicationProtectedItems.beginDeleteAndWait(p.vault, p.rg, p.site, p.container, 'ghost', { properties: {} }, FAST);
    await expect(p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, 'ghost')).rejects.toMatchObject({ statusCode: 404 });
    expect((await p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, p.container, ghost.id)).properties?.protectionStatus).toBe('Unprotected');
  });

  it('disable removes replicas, snapshots, manifests, points and the item; the source VM is untouched', async () => {
    const name = names[0]!;
    const vm = vms[0]!;
    const itemKey = p.itemKey(name);
    const before = await diskHashes(vm);
    // Remove (POST …/remove) one item while purging (DELETE) the others.
    const spare = (await all(p.sr.replicationProtectedItems.list(p.vault, p.rg))).find((item) => item.name?.startsWith('spare-'))!;
    await Promise.all([
      p.sr.replicationProtectedItems.beginDeleteAndWait(p.vault, p.rg, p.site, p.container, name, { properties: { disableProtectionReason: 'NotSpecified' } }, FAST),
      p.sr.replicationProtectedItems.beginPurgeAndWait(p.vault, p.rg, p.site, p.container, names[1]!, FAST),
      p.sr.replicationProtectedItems.beginPurgeAndWait(p.vault, p.rg, p.site, p.container, spare.name!, FAST),
    ]);
    await expect(p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, name)).rejects.toMatchObject({ statusCode: 404 });
    const replicas = p.services.recoverySite(p.ref, p.recovery).container;
    const left: string[] = [];
    for (const prefix of [`replicas/${itemKey}/`, `manifests/${itemKey}/`, `plans/${itemKey}/`]) {
      for await (const blob of replicas.listBlobsFlat({ prefix, includeSnapshots: true })) left.push(blob.name);
    }
    expect(left).toEqual([]);
    const rows: string[] = [];
    for await (const entity of p.services.points.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${itemKey}'` } })) rows.push(String(entity.rowKey));
    expect(rows).toEqual([]);
    expect(await diskHashes(vm)).toEqual(before);
    const snapshots: string[] = [];
    for await (const blob of p.hyperV.container.listBlobsFlat({ includeSnapshots: true })) if (blob.snapshot && vm.disks.some((d) => d.blobName === blob.name)) snapshots.push(blob.name);
    expect(snapshots).toEqual([]);
    const protectable = await p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, p.container, vm.id);
    expect(protectable.properties?.protectionStatus).toBe('Unprotected');
    await expect(p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, names[1]!)).rejects.toMatchObject({ statusCode: 404 });
    expect((await armFetch(service, 'DELETE', itemPath(names[1]!))).status).toBe(204);
    expect(await all(p.sr.replicationProtectedItems.list(p.vault, p.rg))).toEqual([]);
  });
});
