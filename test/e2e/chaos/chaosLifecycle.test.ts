/**
 * The failover lifecycle under everything at once: every queue message delivered twice, the host
 * killed at random (and restarted in place), invocations delayed, 5 % of storage requests failing
 * (503, 500, reset connections, and answers lost after storage carried the request out) and one
 * storage pause — then the invariants: every job terminal and none stuck; the item ready for its next
 * operation; every VM that came up equal to what it must equal, byte for byte; every retained
 * recovery point verifying against its manifest and holding a prefix of the VM's write history;
 * one job per command and one point per cycle; after disable, no storage left that nothing references.
 *
 * The run replays from its seed (printed; set `CHAOS_SEED` to replay one; `CHAOS_HOST_LOG=<file>`
 * keeps the hosts' output).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@azure/arm-recoveryservices-siterecovery';
import { createSeededRandom } from '../../../host/faults/seededRandom.js';
import { configForStorage } from '../../../shared/config.js';
import { createDeps } from '../../../shared/deps.js';
import type { RecoveryPoint } from '../../../shared/replication/recoveryPoint.js';
import { runWorkload, type Workload } from '../../../shared/site/hyperv/runWorkload.js';
import { verifyPrefixConsistency } from '../../../shared/site/hyperv/verifyPrefixConsistency.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import type { ChangeLogEntry } from '../../../shared/site/types.js';
import { startFaultyStorage, type FaultyStorage } from '../../support/faultyStorage.js';
import { azuritePortsOf, testStorage } from '../../support/storage.js';
import { startSupervisedHost, type SupervisedHost } from '../../support/supervisedHost.js';
import { all } from '../infra/infraFixture.js';
import { FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';
import { itemView, protectNewVm, type ItemView } from '../lifecycle/lifecycleFixture.js';

const SEED = process.env.CHAOS_SEED?.trim() || '20261202';
const ITEM = 'chaos-01';
const INTERVAL_SECONDS = 5;

const HOST_FAULTS = {
  // A step executing at a crash is received again after 2 s, not after the platform's 10 minutes.
  LOCAL_HOST_QUEUE_LEASE_SECONDS: '2',
  LOCAL_HOST_FAULT_DUPLICATE_DELIVERY: 'true',
  LOCAL_HOST_FAULT_CRASH_PROBABILITY: '0.01',
  LOCAL_HOST_FAULT_DELAY_MS: '100',
};

describe(`chaos: the failover lifecycle under duplicates, crashes and storage faults (seed ${SEED})`, () => {
  const direct = testStorage();
  let storage: FaultyStorage;
  let host: SupervisedHost;
  let p: ProtectionVault;
  let v: ItemView;
  let recoverySite: HyperVSite;
  let workload: Workload | undefined;
  /** The VM's write history as it stood at the planned failover (failback restarts the log after it). */
  let historyAtFailover: ChangeLogEntry[] = [];
  /** Jobs the test's commands started, by scenario (preparing infrastructure started five). */
  const commands = new Map<string, number>([['CreateSite', 2], ['RegisterDra', 1], ['AddProtectionProfile', 1], ['AssociateProtectionProfile', 1]]);
  const count = (scenario: string): void => void commands.set(scenario, (commands.get(scenario) ?? 0) + 1);

  beforeAll(async () => {
    process.stdout.write(`chaos seed: ${SEED} (replay with CHAOS_SEED=${SEED})\n`);
    storage = await startFaultyStorage({ target: azuritePortsOf(direct), faultRate: 0, random: createSeededRandom(`${SEED}/storage`) });
    host = await startSupervisedHost({ hostStorage: storage.connectionString, connectionString: direct, env: HOST_FAULTS, seed: SEED });
    p = await prepareProtection(host, INTERVAL_SECONDS, 0, { clientRetries: 6 });
    storage.setFaultRate(0.05);
    const vm = await protectNewVm(p, ITEM, [2 * MiB, 1 * MiB]);
    count('EnableDr');
    v = itemView(p, ITEM, vm);
    recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
    workload = await runWorkload(p.hyperV, vm.id, { writesPerSecond: 20 });
  });

  afterAll(async () => {
    await workload?.stop().catch(() => undefined);
    await host?.stop();
    await storage?.close();
    if (process.env.CHAOS_HOST_LOG && host) fs.writeFileSync(process.env.CHAOS_HOST_LOG, host.fullOutput());
    process.stdout.write(`chaos seed ${SEED}: host restarts ${host?.restarts()}, storage ${JSON.stringify(storage?.counts())}\n`);
  });

  it('test failover and cleanup: the test VM equals its point, and nothing of it is left', async () => {
    await v.pointAfter(new Date().toISOString(), 60_000);
    await p.sr.replicationProtectedItems.beginTestFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    count('TestFailover');
    const testVm = (await v.record()).testVm!;
    expect(await v.diskHashes(recoverySite, testVm.vmId)).toEqual(await v.pointHashes(await v.point(testVm.pointId)));
    await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { comments: 'chaos drill' } }, FAST);
    count('TestFailoverCleanup');
    expect(await recoverySite.getVm(testVm.vmId)).toBeUndefined();
    expect((await v.get()).properties?.testFailoverState).toBe('MarkedForDeletion');
  });

  it('replication goes on through a storage pause', async () => {
    const pausedAt = new Date().toISOString();
    await storage.pause(5_000);
    await v.pointAfter(pausedAt, 90_000);
  });

  it('planned failover loses nothing; commit, re-protect, failback and commit bring the VM home unchanged', async () => {
    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    count('PlannedFailover');
    expect((await workload!.done).reason).toBe('shutdown');
    workload = undefined;
    historyAtFailover = await p.hyperV.readWriteLog(v.vm.id);
    const recoveryVm = (await v.record()).recoveryVm!;
    const source = await v.diskHashes(p.hyperV, v.vm.id);
    expect(await v.diskHashes(recoverySite, recoveryVm.vmId)).toEqual(source);

    await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    count('CommitFailover');
    await p.sr.replicationProtectedItems.beginReprotectAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    count('ReverseReplication');
    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(
      p.vault, p.rg, p.site, p.container, ITEM,
      { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'NoAction' } } },
      FAST,
    );
    count('PlannedFailover');
    expect(await v.diskHashes(p.hyperV, v.vm.id)).toEqual(source);
    await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    count('CommitFailover');
    expect(await recoverySite.getVm(recoveryVm.vmId)).toBeUndefined();
    const resumed = await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected', 90_000);
    expect(resumed.properties?.activeLocation).toBe('Primary');
    expect((await p.hyperV.getVm(v.vm.id))?.powerState).toBe('Running');
    // Protection resumed by itself: a point is cut in the original direction again.
    await v.pointAfter(new Date().toISOString(), 60_000);
  });

  it('every job is terminal and succeeded, one per command; the item is ready for its next operation', async () => {
    const jobs: Job[] = await all(p.sr.replicationJobs.list(p.vault, p.rg));
    const states = jobs.map((job) => `${job.properties?.scenarioName}: ${job.properties?.state}`);
    expect(jobs.every((job) => job.properties?.state === 'Succeeded'), states.join('\n')).toBe(true);
    const byScenario = new Map<string, number>();
    for (const job of jobs) byScenario.set(job.properties!.scenarioName!, (byScenario.get(job.properties!.scenarioName!) ?? 0) + 1);
    // Enabling protection runs its initial replication as a job of its own.
    expect(Object.fromEntries(byScenario)).toEqual({ ...Object.fromEntries(commands), IrCompletion: 1 });
    const item = await v.get();
    expect(item.properties?.currentScenario?.scenarioName).toBe('None');
    expect(item.properties?.allowedOperations).toEqual(expect.arrayContaining(['TestFailover', 'PlannedFailover', 'UnplannedFailover', 'DisableProtection']));
  });

  it('every retained point verifies against its manifest and holds a prefix of the write history; one point per cycle', async () => {
    const deps = createDeps(configForStorage(direct));
    const engine = deps.engine(deps.sites.hyperV(p.ref, p.site), deps.sites.replicas(p.ref, p.recovery).target);
    const points: RecoveryPoint[] = await all(p.services.points.list(p.itemKey(ITEM)));
    expect(points.length).toBeGreaterThan(2);
    const later = await p.hyperV.readWriteLog(v.vm.id);
    const last = historyAtFailover.at(-1)?.seq ?? 0;
    const history = [...historyAtFailover, ...later.filter((entry) => entry.seq > last)];
    for (const point of points) {
      const verification = await engine.verifyRecoveryPoint(point);
      expect(verification.ok, `point ${point.id}: ${JSON.stringify(verification.disks)}`).toBe(true);
      const images = Object.fromEntries(
        await Promise.all(
          point.disks.map(async (disk) => [disk.diskId, await p.hyperV.blobs.getContainerClient(disk.container).getPageBlobClient(disk.replicaBlob).withSnapshot(disk.snapshot).downloadToBuffer()] as const),
        ),
      );
      const consistency = verifyPrefixConsistency(images, history.filter((entry) => entry.seq <= point.seq));
      expect(consistency.problems, `point ${point.id} (seq ${point.seq})`).toEqual([]);
    }
    // Duplicate deliveries of a cycle's steps must not cut a second point: points are an interval apart.
    // One exception: the planned failover wants a point taken after the VM shut down, and that cycle
    // starts as soon as the one in flight has finished (an idle cycle takes well under a second). Its
    // gap is the one just before the longest, when replication stopped for the failover.
    const times = points.map((point) => Date.parse(point.time)).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const failoverGap = gaps.indexOf(Math.max(...gaps));
    const short = gaps.flatMap((gap, i) => (gap < 1_000 ? [i] : []));
    expect(short.filter((i) => i !== failoverGap - 1), `gaps between points (ms): ${gaps.join(', ')}`).toEqual([]);
  });

  it('disable protection leaves no storage that nothing references', async () => {
    await p.sr.replicationProtectedItems.beginDeleteAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { disableProtectionReason: 'NotSpecified' } }, FAST);
    count('DisableDr');
    // What may remain: the host's own locks and timer status, and each VM still at a site — its
    // record, its disks (no snapshot) and its change log. Anything else nothing references.
    const referenced = new Set<string>();
    for (const site of [p.hyperV, recoverySite]) {
      for (const vm of await site.listVms()) {
        referenced.add(`${site.container.containerName}/vms/${vm.id}.json`);
        for (const disk of vm.disks) referenced.add(`${site.container.containerName}/${disk.blobName}`);
      }
    }
    const leaked: string[] = [];
    for await (const container of p.hyperV.blobs.listContainers()) {
      if (container.name === 'azure-webjobs-hosts') continue;
      for await (const blob of p.hyperV.blobs.getContainerClient(container.name).listBlobsFlat({ includeSnapshots: true })) {
        const name = `${container.name}/${blob.name}`;
        if (!blob.snapshot && (referenced.has(name) || /\/log\/[^/]+\/\d+\.log$/.test(name))) continue;
        leaked.push(`${name}${blob.snapshot ? `@${blob.snapshot}` : ''}${blob.properties.leaseState === 'leased' ? ' (leased)' : ''}`);
      }
    }
    expect(leaked).toEqual([]);
  });
});
