/**
 * One protected item, two views: the `Microsoft.DataReplication` read surface (as `Get-AzResource`
 * reads it, raw ARM GETs) agrees with what the official Site Recovery client reads of the same vault,
 * item, recovery points and jobs; its `plannedFailover` is the item's planned failover, followed to
 * completion through its `Location`; unknown names and bad bodies get ARM errors; the vault's Hyper-V
 * hosts are its `replicationAppliances`.
 */
import type { Job, RecoveryPoint as AsrRecoveryPoint, ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteVm } from '../../../shared/site/types.js';
import { startService, type Service } from '../../support/clients.js';
import { all, armFetch, vaultPath } from '../infra/infraFixture.js';
import { enableInput, FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';

const ITEM = 'web-01';
const DR_API = '2024-09-01';

let service: Service;
let p: ProtectionVault;
let vm: SiteVm;

beforeAll(async () => {
  service = await startService();
  p = await prepareProtection(service, 10);
  const vms = await p.addVms([
    {
      name: ITEM,
      osType: 'Linux',
      disks: [
        { sizeBytes: 2 * MiB, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } },
        { sizeBytes: MiB, contents: { kind: 'pattern', byte: 7 } },
      ],
    },
  ]);
  vm = vms[0]!;
  await p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, ITEM, enableInput(p, vm), FAST);
  await waitForItem(p, ITEM, (item) => item.properties?.protectionState === 'Protected' && item.properties.currentScenario?.scenarioName === 'None');
});

afterAll(async () => {
  await service?.stop();
});

/** The DataReplication vault's path. */
const drVault = (vault = p.vault): string => `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.DataReplication/replicationVaults/${vault}`;

/** A raw DataReplication request under the vault. */
const dr = (method: string, path: string, options: Parameters<typeof armFetch>[3] = {}) => armFetch(service, method, `${drVault()}${path}`, { apiVersion: DR_API, ...options });

/** A GET of an absolute URL the service handed out (it carries its own api-version). */
async function follow(url: string): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(url, { headers: { 'x-functions-key': service.functionKey } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

const asrItem = (): Promise<ReplicationProtectedItem> => p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, ITEM);

/** The DataReplication `JobState` of a job as the official client reads it. */
function drStateOf(job: Job): string {
  const state = job.properties?.state ?? '';
  const errors = job.properties?.errors ?? [];
  if (state === 'Succeeded' && errors.length > 0 && errors.every((entry) => entry.errorLevel === 'Warning')) return 'CompletedWithWarnings';
  return ({ NotStarted: 'Pending', InProgress: 'Started', Suspended: 'Started' } as Record<string, string>)[state] ?? state;
}

/** Expects an ARM error envelope with `status` and `code`. */
function expectError(response: { status: number; json: any }, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.json)).toBe(status);
  expect(response.json).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe('Microsoft.DataReplication over the same vault', () => {
  it('shows the Recovery Services vault as a disaster-recovery replication vault', async () => {
    const vault = await dr('GET', '');
    expect(vault.status).toBe(200);
    expect(vault.json).toMatchObject({
      id: drVault(),
      name: p.vault,
      type: 'Microsoft.DataReplication/replicationVaults',
      location: 'local',
      properties: { provisioningState: 'Succeeded', serviceResourceId: vaultPath(p.sub, p.rg, p.vault), vaultType: 'DisasterRecovery' },
    });
    const list = await armFetch(service, 'GET', `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.DataReplication/replicationVaults`, { apiVersion: DR_API });
    expect(list.json.value.map((v: { id: string }) => v.id)).toEqual([drVault()]);
    for (const apiVersion of ['2021-02-16-preview', '2026-05-01']) expect((await dr('GET', '', { apiVersion })).status).toBe(200);
  });

  it('reads the protected item as the replication protected item reads: state, VM, disks, health, operations', async () => {
    const asr = await asrItem();
    const got = await dr('GET', `/protectedItems/${ITEM}`);
    expect(got.status).toBe(200);
    const item = got.json;
    const a = asr.properties!;
    const details = a.providerSpecificDetails as any;
    expect(item).toMatchObject({ id: `${drVault()}/protectedItems/${ITEM}`, name: ITEM, type: 'Microsoft.DataReplication/replicationVaults/protectedItems' });
    const props = item.properties;
    expect(props.protectionState).toBe('Protected');
    expect(props.protectionState).toBe(a.protectionState);
    expect(props.protectionStateDescription).toBe(a.protectionStateDescription);
    expect(props.testFailoverState).toBe(a.testFailoverState);
    expect(props.testFailoverStateDescription).toBe(a.testFailoverStateDescription);
    expect(props.resynchronizationState).toBe('None');
    expect(props.allowedJobs).toEqual(a.allowedOperations);
    expect(props.replicationHealth).toBe(a.replicationHealth);
    expect(props.healthErrors.map((e: { code: string }) => e.code)).toEqual(a.healthErrors?.map((e) => e.errorCode));
    expect(props.policyName).toBe(a.policyFriendlyName);
    expect(props.fabricId).toBe(`${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}`);
    expect(props.targetFabricId).toBe(a.recoveryFabricId);
    expect(props.fabricObjectId).toBe(a.protectableItemId);
    expect(props.fabricObjectName).toBe(a.friendlyName);

    const custom = props.customProperties;
    expect(custom.instanceType).toBe('HyperVToAzStackHCI');
    expect(custom.activeLocation).toBe(a.activeLocation);
    expect(custom.sourceVmName).toBe(vm.name);
    expect(custom.sourceVmName).toBe(a.friendlyName);
    expect(custom.sourceCpuCores).toBe(details.sourceVmCpuCount);
    expect(custom.sourceMemoryInMegaBytes).toBe(details.sourceVmRamSizeInMB);
    expect(custom.osType).toBe(details.oSDetails.osType);
    expect(custom.targetVmName).toBe(details.recoveryAzureVmName);
    expect(custom.initialReplicationProgressPercentage).toBe(Number(details.initialReplicationDetails.initialReplicationProgressPercentage));
    expect(new Date(custom.lastRecoveryPointReceived).toISOString()).toBe((details.lastRecoveryPointReceived as Date).toISOString());
    // The VM as seed 000 looks it up: its id on the source side, the same under the Azure Stack Hub name.
    expect(custom.fabricDiscoveryMachineId).toBe(a.protectableItemId);
    expect(custom.sourceAzStackVirtualMachineId).toBe(a.protectableItemId);
    expect(custom.sourceAzStackVirtualMachineId).toMatch(new RegExp(`^/subscriptions/${p.sub}/resourceGroups/${p.rg}/.+/replicationProtectableItems/${vm.id}$`));
    expect(custom.sourceApplianceName).toBe('hv-host-01');
    // Disks: the same disks, in the same order, with the same replicas.
    expect(custom.protectedDisks.map((d: { sourceDiskId: string }) => d.sourceDiskId)).toEqual(vm.disks.map((d) => d.id));
    expect(custom.protectedDisks.map((d: { sourceDiskId: string }) => d.sourceDiskId)).toEqual(details.azureVmDiskDetails.map((d: { diskId: string }) => d.diskId));
    expect(custom.protectedDisks.map((d: { capacityInBytes: number }) => d.capacityInBytes)).toEqual(vm.disks.map((d) => d.sizeBytes));
    expect(custom.protectedDisks.map((d: { isOsDisk: boolean }) => d.isOsDisk)).toEqual(vm.disks.map((d) => d.isOsDisk));
    expect(custom.protectedDisks.map((d: { storageContainerLocalPath: string }) => d.storageContainerLocalPath)).toEqual(
      details.azureVmDiskDetails.map((d: { targetDiskLocation: string }) => d.targetDiskLocation),
    );
    expect(custom.protectedNics).toEqual([expect.objectContaining({ nicId: details.vmNics[0].nicId, selectionTypeForFailover: 'SelectedByUser' })]);

    const list = await dr('GET', '/protectedItems');
    expect(list.status).toBe(200);
    expect(list.json.value.map((i: { id: string }) => i.id)).toEqual([item.id]);
    expect(list.json.value[0].properties.customProperties.sourceVmName).toBe(vm.name);
  });

  it('lists the same recovery points, with the same times and types', async () => {
    // A replication cycle may cut a point between two reads: compare reads that an unchanged ASR list brackets.
    let asrPoints: AsrRecoveryPoint[] = [];
    let drPoints: any[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const before = await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, ITEM));
      const listed = await dr('GET', `/protectedItems/${ITEM}/recoveryPoints`);
      expect(listed.status).toBe(200);
      const after = await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, ITEM));
      asrPoints = after;
      drPoints = listed.json.value;
      if (JSON.stringify(before.map((x) => x.name)) === JSON.stringify(after.map((x) => x.name))) break;
    }
    expect(asrPoints.length).toBeGreaterThanOrEqual(1);
    expect(drPoints.map((x) => x.name)).toEqual(asrPoints.map((x) => x.name));
    expect(drPoints.map((x) => new Date(x.properties.recoveryPointTime).toISOString())).toEqual(asrPoints.map((x) => x.properties!.recoveryPointTime!.toISOString()));
    expect(drPoints.map((x) => x.properties.recoveryPointType)).toEqual(asrPoints.map((x) => x.properties!.recoveryPointType));
    for (const point of drPoints) {
      expect(point.type).toBe('Microsoft.DataReplication/replicationVaults/protectedItems/recoveryPoints');
      expect(point.id).toBe(`${drVault()}/protectedItems/${ITEM}/recoveryPoints/${point.name}`);
      expect(point.properties.customProperties).toEqual({ instanceType: 'HyperVToAzStackHCI', diskIds: vm.disks.map((d) => d.id) });
    }
    const one = await dr('GET', `/protectedItems/${ITEM}/recoveryPoints/${drPoints[0].name}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual(drPoints[0]);
    const item = (await dr('GET', `/protectedItems/${ITEM}`)).json;
    const last = await armFetch(service, 'GET', item.properties.customProperties.lastRecoveryPointId, { apiVersion: DR_API });
    expect(last.status).toBe(200);
    expect(last.json.properties.recoveryPointTime).toBe(item.properties.customProperties.lastRecoveryPointReceived);
  });

  it('lists the same jobs as replicationJobs, with the same names, states, times and tasks', async () => {
    const asrJobs = await all(p.sr.replicationJobs.list(p.vault, p.rg));
    const listed = await dr('GET', '/jobs');
    expect(listed.status).toBe(200);
    const drJobs: any[] = listed.json.value;
    expect(drJobs.map((j) => j.name).sort()).toEqual(asrJobs.map((j) => j.name).sort());
    for (const job of drJobs) {
      const asr = asrJobs.find((j) => j.name === job.name)!;
      expect(job.type).toBe('Microsoft.DataReplication/replicationVaults/jobs');
      expect(job.properties.displayName).toBe(asr.properties?.friendlyName);
      expect(job.properties.state).toBe(drStateOf(asr));
      expect(new Date(job.properties.startTime).toISOString()).toBe(asr.properties?.startTime?.toISOString());
    }
    const enable = asrJobs.find((j) => j.properties?.scenarioName === 'EnableDr')!;
    const asrEnable = await p.sr.replicationJobs.get(p.vault, p.rg, enable.name!);
    const got = await dr('GET', `/jobs/${enable.name}`);
    expect(got.status).toBe(200);
    expect(got.json.properties).toMatchObject({
      displayName: 'Enable replication',
      state: 'Succeeded',
      objectType: 'ProtectedItem',
      objectId: `${drVault()}/protectedItems/${ITEM}`,
      objectName: ITEM,
      objectInternalId: asrEnable.properties?.targetObjectId,
      sourceFabricProviderId: 'HyperVSite',
      targetFabricProviderId: 'Azure',
      allowedActions: [],
    });
    expect(got.json.properties.tasks.map((t: { taskName: string }) => t.taskName)).toEqual(asrEnable.properties?.tasks?.map((t) => t.name));
    expect(got.json.properties.tasks.every((t: { state: string }) => t.state === 'Succeeded')).toBe(true);
  });

  it('answers unknown names with 404 and bad requests with 400 in the ARM envelope, changing nothing', async () => {
    expectError(await armFetch(service, 'GET', drVault('no-such-vault'), { apiVersion: DR_API }), 404, 'ResourceNotFound');
    expectError(await armFetch(service, 'GET', `${drVault('no-such-vault')}/protectedItems`, { apiVersion: DR_API }), 404, 'ResourceNotFound');
    expectError(await dr('GET', '/protectedItems/no-such-item'), 404, 'ResourceNotFound');
    expectError(await dr('GET', '/protectedItems/no-such-item/recoveryPoints'), 404, 'ResourceNotFound');
    expectError(await dr('GET', `/protectedItems/${ITEM}/recoveryPoints/no-such-point`), 404, 'ResourceNotFound');
    expectError(await dr('GET', '/jobs/no-such-job'), 404, 'ResourceNotFound');
    expectError(await dr('GET', `/protectedItems/${ITEM}/operations/no-such-operation`), 404, 'ResourceNotFound');
    expectError(await dr('GET', `/protectedItems/${ITEM}/operationResults/no-such-operation`), 404, 'ResourceNotFound');
    expectError(await dr('GET', "/protectedItems/it'em"), 400, 'InvalidResourceName');
    expectError(await dr('GET', `/protectedItems/${ITEM}`, { apiVersion: '2023-06-01' }), 400, 'InvalidApiVersionParameter');
    expectError(await dr('GET', `/protectedItems/${ITEM}`, { apiVersion: null }), 400, 'MissingApiVersionParameter');

    const jobsBefore = (await all(p.sr.replicationJobs.list(p.vault, p.rg))).length;
    const custom = (fields: Record<string, unknown>) => ({ properties: { customProperties: { instanceType: 'HyperVToAzStackHCI', shutdownSourceVM: true, ...fields } } });
    const cases: Array<[string, Parameters<typeof armFetch>[3], string]> = [
      ['no body', {}, 'body'],
      ['malformed JSON', { rawBody: '{"properties":' }, ''],
      ['no custom properties', { body: { properties: {} } }, 'properties.customProperties'],
      ['another provider', { body: custom({ instanceType: 'VMwareToAzStackHCI' }) }, 'properties.customProperties.instanceType'],
      ['shutdownSourceVM not a boolean', { body: custom({ shutdownSourceVM: 'yes' }) }, 'properties.customProperties.shutdownSourceVM'],
      ['the source kept running', { body: custom({ shutdownSourceVM: false }) }, 'properties.customProperties.shutdownSourceVM'],
    ];
    for (const [label, options, field] of cases) {
      const response = await dr('POST', `/protectedItems/${ITEM}/plannedFailover`, options);
      expect(response.status, label).toBe(400);
      expect(response.json.error.code, label).toMatch(/^(InvalidParameter|InvalidRequestContent)$/);
      if (field) expect(response.json.error.target, label).toBe(field);
    }
    const unplanned = await dr('POST', `/protectedItems/${ITEM}/plannedFailover`, { body: custom({ shutdownSourceVM: false }) });
    expect(unplanned.json.error.message).toContain('unplannedFailover');
    expectError(await dr('POST', '/protectedItems/no-such-item/plannedFailover', { body: custom({}) }), 404, 'ResourceNotFound');
    expect((await all(p.sr.replicationJobs.list(p.vault, p.rg))).length).toBe(jobsBefore);
    expect((await asrItem()).properties?.protectionState).toBe('Protected');
  });

  it('lists the Hyper-V host as a healthy appliance through the official client', async () => {
    const appliances = await all(p.sr.replicationAppliances.list(p.vault, p.rg));
    expect(appliances).toHaveLength(1);
    const details = appliances[0]!.properties?.providerSpecificDetails as any;
    expect(details.instanceType).toBe('InMageRcm');
    expect(details.appliances).toHaveLength(1);
    const host = details.appliances[0];
    expect(host).toMatchObject({ id: 'hv-host-01', name: 'hv-host-01', fabricArmId: `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}` });
    expect(host.dra).toMatchObject({ name: 'hv-host-01', health: 'Normal', healthErrors: [], forwardProtectedItemCount: 1, reverseProtectedItemCount: 0 });
    expect(host.dra.lastHeartbeatUtc).toBeInstanceOf(Date);
    expect(Date.now() - (host.dra.lastHeartbeatUtc as Date).getTime()).toBeLessThan(10 * 60_000);
    expectError(await armFetch(service, 'GET', `${vaultPath(p.sub, p.rg, p.vault)}/replicationAppliances?$filter=x`), 400, 'InvalidParameter');
  });

  it('runs plannedFailover as the item planned failover, followed to completion through Location', async () => {
    const body = { properties: { customProperties: { instanceType: 'HyperVToAzStackHCI', shutdownSourceVM: true } } };
    const started = await dr('POST', `/protectedItems/${ITEM}/plannedFailover`, { body });
    expect(started.status, JSON.stringify(started.json)).toBe(202);
    const location = started.headers.get('location')!;
    const statusUrl = started.headers.get('azure-asyncoperation')!;
    expect(location).toMatch(new RegExp(`/providers/Microsoft\\.DataReplication/replicationVaults/${p.vault}/protectedItems/${ITEM}/operationResults/[^/?]+\\?api-version=${DR_API}$`));
    expect(statusUrl).toContain(`/protectedItems/${ITEM}/operations/`);
    const jobId = new URL(location).pathname.split('/').pop()!;
    // While the failover holds the item, its current job is that job (unless it has already finished).
    const during = (await dr('GET', `/protectedItems/${ITEM}`)).json.properties.currentJob;
    if (during) expect(during).toMatchObject({ scenarioName: 'PlannedFailover', id: `${drVault()}/jobs/${jobId}`, name: jobId, displayName: 'Planned failover' });

    const deadline = Date.now() + 90_000;
    let result = await follow(location);
    while (result.status === 202 && Date.now() < deadline) {
      expect(result.headers.get('location')).toBe(location);
      await new Promise((resolve) => setTimeout(resolve, 250));
      result = await follow(location);
    }
    expect(result.status, `${JSON.stringify(result.json)}\n${service.output().slice(-2000)}`).toBe(200);
    expect(result.json).toEqual(body);
    const status = await follow(statusUrl);
    expect(status.json).toMatchObject({ id: `${drVault()}/protectedItems/${ITEM}/operations/${jobId}`, name: jobId, status: 'Succeeded' });

    // The official client sees the item failed over by that planned failover.
    const failedOver = await asrItem();
    expect(failedOver.properties?.protectionState).toBe('PlannedFailoverCommitRequired');
    expect(failedOver.properties?.activeLocation).toBe('Recovery');
    const asrJob = await p.sr.replicationJobs.get(p.vault, p.rg, jobId);
    expect(asrJob.properties).toMatchObject({ scenarioName: 'PlannedFailover', friendlyName: 'Planned failover', state: 'Succeeded' });

    // And so does DataReplication.
    const item = (await dr('GET', `/protectedItems/${ITEM}`)).json.properties;
    expect(item.protectionState).toBe('PlannedFailoverCompleted');
    expect(item.protectionStateDescription).toBe(failedOver.properties?.protectionStateDescription);
    expect(item.customProperties.activeLocation).toBe('Recovery');
    expect(item.allowedJobs).toEqual(failedOver.properties?.allowedOperations);
    expect(new Date(item.lastSuccessfulPlannedFailoverTime).toISOString()).toBe(failedOver.properties?.lastSuccessfulFailoverTime?.toISOString());
    expect(item.customProperties.failoverRecoveryPointId).toMatch(new RegExp(`/protectedItems/${ITEM}/recoveryPoints/[^/]+$`));
    const job = (await dr('GET', `/jobs/${jobId}`)).json.properties;
    // Never drilled: the failover succeeded with ASR's warning, which DataReplication calls CompletedWithWarnings.
    expect(asrJob.properties?.errors?.map((e) => [e.serviceErrorDetails?.code, e.errorLevel])).toEqual([['TestFailoverNotDoneRecently', 'Warning']]);
    expect(job).toMatchObject({ displayName: 'Planned failover', state: 'CompletedWithWarnings', objectType: 'ProtectedItem', objectName: ITEM });
    expect(job.errors).toEqual([expect.objectContaining({ code: 'TestFailoverNotDoneRecently', severity: 'Warning' })]);
    expect(job.customProperties).toMatchObject({
      instanceType: 'FailoverJobDetails',
      protectedItemDetails: [expect.objectContaining({ protectedItemName: ITEM, vmName: vm.name, recoveryPointId: item.customProperties.failoverRecoveryPointId })],
    });
    expect(job.tasks.map((t: { taskName: string }) => t.taskName)).toEqual(asrJob.properties?.tasks?.map((t) => t.name));

    // A second planned failover of a failed-over item is refused by the machine, as through ASR.
    const again = await dr('POST', `/protectedItems/${ITEM}/plannedFailover`, { body });
    expectError(again, 409, 'OperationNotAllowed');
  });
});
