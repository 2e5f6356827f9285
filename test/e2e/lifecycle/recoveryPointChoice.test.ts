/**
 * Recovery point choices through the official client against the local host, with workloads writing
 * throughout: a test failover on each choice the portal offers (Latest, latest processed, latest
 * application-consistent, a given point) brings up disks equal to that point's replica snapshots
 * while new points keep arriving, and its cleanup leaves no VM or disk blob; an unknown point is a
 * 400 that changes nothing; an unplanned failover warns when the item was never drilled, and can
 * move to another point before commit; with `sourceSiteOperations: Required` it shuts the source
 * down first and loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkload, type Workload } from '../../../shared/site/hyperv/runWorkload.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { armFetch, all, vaultPath } from '../infra/infraFixture.js';
import { startService, type Service } from '../../support/clients.js';
import { enableInput, FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';
import { diskBlobsOf, itemView, type ItemView } from './lifecycleFixture.js';

type Choice = 'Latest' | 'LatestProcessed' | 'LatestApplicationConsistent' | 'Custom';
const CHOICES: Choice[] = ['Latest', 'LatestProcessed', 'LatestApplicationConsistent', 'Custom'];
const NO_DRILL = 'no-drill';
const TEST_NETWORK = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/test-net';

describe('recovery point choice', () => {
  let service: Service;
  let p: ProtectionVault;
  let recoverySite: HyperVSite;
  const items = new Map<string, ItemView>();
  const workloads = new Map<string, Workload>();
  const view = (name: string): ItemView => items.get(name)!;
  const itemPath = (name: string) => `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${name}`;

  /** Starts an operation, reads its job id from the item, and waits for it. */
  const withJob = async (name: string, begin: () => Promise<{ pollUntilDone(): Promise<unknown> }>): Promise<string> => {
    const poller = await begin();
    const jobId = (await view(name).get()).properties?.currentScenario?.jobId;
    await poller.pollUntilDone();
    expect(jobId).toMatch(/\/replicationJobs\/[^/]+$/);
    return jobId!.split('/').at(-1)!;
  };

  beforeAll(async () => {
    service = await startService();
    // Application-consistent every hour: the first point is application-consistent, the later ones not.
    p = await prepareProtection(service, 5, 1);
    recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
    const names = [...CHOICES.map((c) => `tf-${c.toLowerCase()}`), NO_DRILL];
    const vms = await p.addVms(
      names.map((name) => ({
        name,
        disks: [
          { sizeBytes: 2 * MiB, isOsDisk: true, contents: { kind: 'random' as const, fraction: 0.5 } },
          { sizeBytes: 1 * MiB, contents: { kind: 'random' as const, fraction: 0.5 } },
        ],
      })),
    );
    names.forEach((name, i) => items.set(name, itemView(p, name, vms[i] as SiteVm)));
    await Promise.all(
      names.map(async (name) => {
        const vm = view(name).vm;
        await p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, name, enableInput(p, vm), FAST);
        await waitForItem(p, name, (i) => i.properties?.protectionState === 'Protected');
        workloads.set(name, await runWorkload(p.hyperV, vm.id, { writesPerSecond: 10 }));
        // A second point, so a given older point can be chosen.
        await view(name).pointAfter((await view(name).record()).replication.lastPointTime!);
      }),
    );
  });

  afterAll(async () => {
    await Promise.all([...workloads.values()].map((w) => w.stop().catch(() => undefined)));
    await service?.stop();
  });

  it('test failover on each choice equals that point while points keep arriving; cleanup leaves nothing behind', async () => {
    await Promise.all(
      CHOICES.map(async (choice) => {
        const name = `tf-${choice.toLowerCase()}`;
        const v = view(name);
        const key = p.itemKey(name);
        let recoveryPointId: string | undefined;
        if (choice === 'LatestProcessed') {
          // Right after a point: the next is seconds away, so the newest point at the command is this one.
          await v.pointAfter(new Date().toISOString());
          recoveryPointId = `${(await v.get()).id}/recoveryPoints/LatestProcessed`;
        } else if (choice === 'LatestApplicationConsistent') recoveryPointId = 'LatestApplicationConsistent';
        else if (choice === 'Custom') recoveryPointId = (await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, name)))[1]!.id;
        const newestAtCommand = (await p.services.points.latest(key))!;
        const commandAt = new Date().toISOString();
        await p.sr.replicationProtectedItems.beginTestFailoverAndWait(
          p.vault, p.rg, p.site, p.container, name,
          { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', networkId: TEST_NETWORK, providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', ...(recoveryPointId ? { recoveryPointId } : {}) } } },
          FAST,
        );
        const tested = await v.get();
        expect(tested.properties?.testFailoverState).toBe('WaitingForCompletion');
        const testVm = (await v.record()).testVm!;
        const point = await v.point(testVm.pointId);
        expect(point.pinnedBy).toContain(testVm.pinnedBy);
        switch (choice) {
          case 'Latest':
            expect(Date.parse(point.time)).toBeGreaterThanOrEqual(Date.parse(commandAt));
            break;
          case 'LatestProcessed':
            expect(point.id).toBe(newestAtCommand.id);
            break;
          case 'LatestApplicationConsistent':
            expect(point.type).toBe('ApplicationConsistent');
            expect(point.id).toBe((await p.services.points.latestApplicationConsistent(key))!.id);
            expect(point.id).not.toBe(newestAtCommand.id);
            break;
          case 'Custom':
            expect(point.id).toBe(recoveryPointId!.split('/').pop());
            expect(point.id).not.toBe(newestAtCommand.id);
            break;
        }
        // The test VM runs in the test network on disks equal to the point, byte for byte.
        const vm = await recoverySite.getVm(testVm.vmId);
        expect(vm?.powerState).toBe('Running');
        expect(vm?.network?.networkId).toBe(TEST_NETWORK);
        expect(await v.diskHashes(recoverySite, testVm.vmId)).toEqual(await v.pointHashes(point));
        // Production replication goes on while the test VM runs.
        await v.pointAfter(new Date().toISOString());
        expect((await recoverySite.getVm(testVm.vmId))?.powerState).toBe('Running');

        await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, name, { properties: { comments: `drill on ${choice}` } }, FAST);
        const cleaned = await v.get();
        expect(cleaned.properties?.testFailoverState).toBe('MarkedForDeletion');
        expect(cleaned.properties?.lastSuccessfulTestFailoverTime).toBeDefined();
        expect(await recoverySite.getVm(testVm.vmId)).toBeUndefined();
        expect(await diskBlobsOf(recoverySite, testVm.vmId)).toEqual([]);
        expect((await v.point(point.id)).pinnedBy ?? []).toEqual([]);
      }),
    );
  });

  it('an unknown recovery point is a 400 naming the field, and nothing changes', async () => {
    const v = view(NO_DRILL);
    const jobsBefore = (await all(p.sr.replicationJobs.list(p.vault, p.rg))).length;
    const vmsBefore = (await recoverySite.listVms()).length;
    for (const [operation, properties] of [
      ['testFailover', { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: `${itemPath(NO_DRILL)}/recoveryPoints/no-such-point` } }],
      ['unplannedFailover', { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'no-such-point' } }],
    ] as const) {
      const response = await armFetch(service, 'POST', `${itemPath(NO_DRILL)}/${operation}`, { body: { properties } });
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe('RecoveryPointNotFound');
      expect(response.json.error.message).toContain('properties.providerSpecificDetails.recoveryPointId');
    }
    const response = await armFetch(service, 'POST', `${itemPath(NO_DRILL)}/applyRecoveryPoint`, { body: { properties: { recoveryPointId: 'no-such-point' } } });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toContain('properties.recoveryPointId');
    const after = await v.get();
    expect(after.properties?.protectionState).toBe('Protected');
    expect(after.properties?.testFailoverState).toBe('None');
    expect(after.properties?.activeLocation).toBe('Primary');
    expect(after.properties?.currentScenario?.scenarioName).toBe('None');
    expect((await all(p.sr.replicationJobs.list(p.vault, p.rg))).length).toBe(jobsBefore);
    expect((await recoverySite.listVms()).length).toBe(vmsBefore);
  });

  it('unplanned failover of an item never drilled warns, and applyRecoveryPoint moves the recovery VM to another point', async () => {
    const v = view(NO_DRILL);
    const points = await all(p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, NO_DRILL));
    const [newer, older] = [points[0]!, points[1]!];
    const jobId = await withJob(NO_DRILL, () =>
      p.sr.replicationProtectedItems.beginUnplannedFailover(
        p.vault, p.rg, p.site, p.container, NO_DRILL,
        { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: older.id } } },
        FAST,
      ),
    );
    const job = await p.sr.replicationJobs.get(p.vault, p.rg, jobId);
    expect(job.properties?.state).toBe('Succeeded');
    expect(job.properties?.errors).toEqual([expect.objectContaining({ errorLevel: 'Warning', serviceErrorDetails: expect.objectContaining({ code: 'TestFailoverNotDoneRecently' }) })]);
    expect((await v.get()).properties?.activeLocation).toBe('Recovery');
    const first = (await v.record()).recoveryVm!;
    const firstPoint = await v.point(older.name!);
    expect(first.pointId).toBe(firstPoint.id);
    expect(await v.diskHashes(recoverySite, first.vmId)).toEqual(await v.pointHashes(firstPoint));

    const nextPoint = await v.point(newer.name!);
    expect(await v.pointHashes(nextPoint)).not.toEqual(await v.pointHashes(firstPoint));
    await p.sr.replicationProtectedItems.beginApplyRecoveryPointAndWait(
      p.vault, p.rg, p.site, p.container, NO_DRILL,
      { properties: { recoveryPointId: newer.id, providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
      FAST,
    );
    const moved = (await v.record()).recoveryVm!;
    expect(moved.vmId).not.toBe(first.vmId);
    expect(moved.pointId).toBe(nextPoint.id);
    expect((await v.get()).properties?.failoverRecoveryPointId).toContain(nextPoint.id);
    expect((await recoverySite.getVm(moved.vmId))?.powerState).toBe('Running');
    expect(await v.diskHashes(recoverySite, moved.vmId)).toEqual(await v.pointHashes(nextPoint));
    expect(await recoverySite.getVm(first.vmId)).toBeUndefined();
    expect(await diskBlobsOf(recoverySite, first.vmId)).toEqual([]);
    expect((await v.point(firstPoint.id)).pinnedBy ?? []).toEqual([]);
  });

  it('unplanned failover with the source required shuts it down first and loses nothing; a drilled item gets no warning', async () => {
    const name = 'tf-latest';
    const v = view(name);
    const jobId = await withJob(name, () =>
      p.sr.replicationProtectedItems.beginUnplannedFailover(
        p.vault, p.rg, p.site, p.container, name,
        { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'Required', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
        FAST,
      ),
    );
    expect((await workloads.get(name)!.done).reason).toBe('shutdown');
    const job = await p.sr.replicationJobs.get(p.vault, p.rg, jobId);
    expect(job.properties?.state).toBe('Succeeded');
    expect(job.properties?.errors ?? []).toEqual([]);
    expect((await p.hyperV.getVm(v.vm.id))?.powerState).toBe('Off');
    const failedOver = await v.get();
    expect(failedOver.properties?.activeLocation).toBe('Recovery');
    expect(failedOver.properties?.protectionState).toBe('UnplannedFailoverCommitPendingStatesBegin');
    const recoveryVm = (await v.record()).recoveryVm!;
    expect(await v.diskHashes(recoverySite, recoveryVm.vmId)).toEqual(await v.diskHashes(p.hyperV, v.vm.id));
  });
});
