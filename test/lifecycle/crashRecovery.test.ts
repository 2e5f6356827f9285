/**
 * A crash of the host in the middle of each failover operation, followed by a restart in place
 * (same port and keys), completes the operation with the same result as without the crash:
 * states, active location and bytes compared by hash.
 *
 * The host is killed (SIGKILL) while the operation's job is in progress and waiting for the next
 * step (its next queue message is delayed, and no job or replication step is executing), so the
 * restarted host picks the operation up from the job's recorded progress. A step executing at the
 * moment of the crash would only be redelivered once the queue's 10-minute receive lease ran out,
 * which is why the kill waits for a moment between steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/jobs/jobModel.js';
import { CHUNK_SIZE } from '../../shared/replication/chunks.js';
import { vaultPartition } from '../../shared/repos/partitions.js';
import type { ProtectedItemRecord } from '../../shared/protection/protectedItemRecord.js';
import { runWorkload, type Workload } from '../../shared/site/runWorkload.js';
import type { HyperVSite } from '../../shared/site/hyperVSite.js';
import type { SiteVm } from '../../shared/site/types.js';
import { startService, type Service } from '../support/clients.js';
import { enableInput, FAST, MiB, prepareProtection, waitForItem, waitForJob, type ProtectionVault } from '../protection/protectionFixture.js';
import { diskBlobsOf, itemView, type ItemView } from './lifecycleFixture.js';

const ITEM = 'db-01';
const QUEUE_FUNCTIONS = /Executing 'Functions\.(?:runJob|replicateItem)' \(Id=([0-9a-f-]+)\)/g;
const EXECUTED = /Executed 'Functions\.\w+' \((?:Succeeded|Failed), Id=([0-9a-f-]+)/g;

/** Whether the host's output shows no job or replication step executing (and shows steps at all). */
function betweenSteps(output: string): boolean {
  if (!output.includes("Executed 'Functions.runJob'")) throw new Error(`the host does not log its invocations:\n${output.slice(-2000)}`);
  const running = new Set([...output.matchAll(QUEUE_FUNCTIONS)].map((m) => m[1]));
  for (const m of output.matchAll(EXECUTED)) running.delete(m[1]);
  return running.size === 0;
}

interface JobProgress {
  step: number;
  data: { freshSince?: string };
}

describe('crash recovery of the failover lifecycle', () => {
  let service: Service;
  let p: ProtectionVault;
  let v: ItemView;
  let recoverySite: HyperVSite;
  let workload: Workload | undefined;

  const job = async (jobId: string): Promise<Job> => (await p.services.plane.jobs.get(vaultPartition(p.ref), jobId))!.value;
  const progressOf = (j: Job): JobProgress => (j.progress as JobProgress | undefined) ?? { step: 0, data: {} };
  /** Whether the item's replication has a point taken at or after `since` and no cycle running. */
  const pointTakenSince = (record: ProtectedItemRecord, since: string | undefined): boolean =>
    since !== undefined && !record.replication.cycle && Date.parse(record.replication.lastPointTime ?? '') >= Date.parse(since);

  /** Starts an item operation without waiting; returns its job id. */
  const begin = async (start: () => Promise<unknown>): Promise<string> => {
    await start();
    const jobId = (await v.get()).properties?.currentScenario?.jobId;
    if (!jobId || jobId === 'None') throw new Error('the operation has no job');
    return jobId;
  };

  /**
   * Kills the host once `ready(job)` holds for the running job and no step is executing, restarts it
   * in place, and returns the job as it was at the kill.
   */
  const crashAndRestart = async (jobId: string, ready: (job: Job, record: ProtectedItemRecord) => boolean): Promise<Job> => {
    const deadline = Date.now() + 30_000;
    let atKill: Job | undefined;
    while (!atKill) {
      if (Date.now() > deadline) throw new Error(`no moment to crash job ${jobId} was found; job: ${JSON.stringify(await job(jobId))}`);
      const [current, record] = await Promise.all([job(jobId), v.record()]);
      if (!['NotStarted', 'InProgress'].includes(current.state)) throw new Error(`job ${jobId} ended (${current.state}) before the crash`);
      if (current.state === 'InProgress' && ready(current, record) && betweenSteps(service.output())) {
        await service.kill();
        atKill = current;
      } else await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 100));
    if (!betweenSteps(service.output())) throw new Error('the crash hit an executing step, whose message the queue redelivers only after its 10-minute lease');
    service = await startService({ port: service.port, functionKey: service.functionKey, masterKey: service.masterKey });
    p.service = service;
    return atKill;
  };

  const finished = async (jobId: string, atKill: Job): Promise<Job> => {
    expect(atKill.state).toBe('InProgress');
    expect(await waitForJob(p, jobId)).toBe('Succeeded');
    const done = await p.sr.replicationJobs.get(p.vault, p.rg, jobId);
    expect(done.properties?.tasks?.map((t) => t.state)).toEqual(atKill.tasks.map(() => 'Succeeded'));
    return job(jobId);
  };

  beforeAll(async () => {
    service = await startService();
    p = await prepareProtection(service, 5);
    const [vm] = (await p.addVms([
      {
        name: ITEM,
        disks: [
          { sizeBytes: 2 * MiB, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } },
          { sizeBytes: 1 * MiB, contents: { kind: 'random', fraction: 0.5 } },
        ],
      },
    ])) as [SiteVm];
    v = itemView(p, ITEM, vm);
    recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
    await p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, ITEM, enableInput(p, vm), FAST);
    await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected');
    workload = await runWorkload(p.hyperV, vm.id, { writesPerSecond: 20 });
  });

  afterAll(async () => {
    await workload?.stop().catch(() => undefined);
    await service?.stop();
  });

  it('test failover: a crash while it waits for the fresh point, then cleanup', async () => {
    const commandAt = new Date().toISOString();
    const jobId = await begin(() =>
      p.sr.replicationProtectedItems.beginTestFailover(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST),
    );
    // The point it asked for is taken; the job has yet to notice.
    const atKill = await crashAndRestart(jobId, (j, record) => progressOf(j).step === 0 && pointTakenSince(record, progressOf(j).data.freshSince));
    await finished(jobId, atKill);
    expect((await v.get()).properties?.testFailoverState).toBe('TestFailoverCompleted');
    const testVm = (await v.record()).testVm!;
    const point = await v.point(testVm.pointId);
    expect(Date.parse(point.time)).toBeGreaterThanOrEqual(Date.parse(commandAt));
    expect((await recoverySite.getVm(testVm.vmId))?.powerState).toBe('Running');
    expect(await v.diskHashes(recoverySite, testVm.vmId)).toEqual(await v.pointHashes(point));

    await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { comments: 'after a crash' } }, FAST);
    expect((await v.get()).properties?.testFailoverState).toBe('None');
    expect(await recoverySite.getVm(testVm.vmId)).toBeUndefined();
    expect(await diskBlobsOf(recoverySite, testVm.vmId)).toEqual([]);
  });

  it('planned failover: a crash during the final sync loses nothing', async () => {
    const jobId = await begin(() =>
      p.sr.replicationProtectedItems.beginPlannedFailover(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST),
    );
    // Shut down and final point taken; choosing the point, fencing and starting the VM are still to come.
    const atKill = await crashAndRestart(jobId, (j, record) => progressOf(j).step === 2 && pointTakenSince(record, progressOf(j).data.freshSince));
    expect(atKill.tasks.filter((t) => t.state === 'Succeeded').length).toBe(2);
    await finished(jobId, atKill);
    expect((await workload!.done).reason).toBe('shutdown');
    workload = undefined;
    const failedOver = await v.get();
    expect(failedOver.properties?.activeLocation).toBe('Recovery');
    expect(failedOver.properties?.protectionState).toBe('PlannedFailoverCompleted');
    const recoveryVm = (await v.record()).recoveryVm!;
    expect((await recoverySite.getVm(recoveryVm.vmId))?.powerState).toBe('Running');
    expect(await v.diskHashes(recoverySite, recoveryVm.vmId)).toEqual(await v.diskHashes(p.hyperV, v.vm.id));
    await expect(p.hyperV.start(v.vm.id)).rejects.toThrow(/fenced/i);
  });

  it('re-protect: a crash while it synchronizes back still sends only what differs', async () => {
    const recoveryVm = (await v.record()).recoveryVm!;
    const writes = await (await runWorkload(recoverySite, recoveryVm.vmId, { writesPerSecond: 0, maxWrites: 5 })).done;
    const jobId = await begin(() =>
      p.sr.replicationProtectedItems.beginReprotect(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST),
    );
    // The resync back is done; the job has yet to notice.
    let resync: ProtectedItemRecord['replication']['lastCycle'];
    const atKill = await crashAndRestart(jobId, (j, record) => {
      resync = record.replication.lastCycle;
      return progressOf(j).step === 3 && record.state.protectionState === 'Protected' && !record.replication.cycle;
    });
    expect(atKill.tasks.filter((t) => t.state === 'Succeeded').length).toBe(3);
    await finished(jobId, atKill);
    const record = await v.record();
    expect(record.state).toMatchObject({ protectionState: 'Protected', replicationDirection: 'RecoveryToPrimary', failoverCommitted: true });
    expect(resync?.kind).toBe('resync');
    // Only the chunks those writes touched (each 64 KiB write spans at most two 64 KiB chunks).
    expect(resync!.bytesUploaded).toBeLessThanOrEqual(writes.writes * 2 * CHUNK_SIZE);
    expect(resync!.bytesUploaded).toBeLessThan(v.vm.disks.reduce((sum, d) => sum + d.sizeBytes, 0) / 4);
    expect(await v.diskHashes(p.hyperV, v.vm.id)).toEqual(await v.diskHashes(recoverySite, recoveryVm.vmId));
    expect((await v.get()).properties?.allowedOperations).toContain('Failback');
  });

  it('failback: a crash during the final sync brings every recovery-site write home; commit resumes protection', async () => {
    const recoveryVm = (await v.record()).recoveryVm!;
    const writes = await runWorkload(recoverySite, recoveryVm.vmId, { writesPerSecond: 40 });
    await new Promise((r) => setTimeout(r, 1000));
    const jobId = await begin(() =>
      p.sr.replicationProtectedItems.beginPlannedFailover(
        p.vault, p.rg, p.site, p.container, ITEM,
        { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'NoAction' } } },
        FAST,
      ),
    );
    const atKill = await crashAndRestart(jobId, (j, record) => progressOf(j).step === 2 && pointTakenSince(record, progressOf(j).data.freshSince));
    expect(atKill.tasks.filter((t) => t.state === 'Succeeded').length).toBe(2);
    await finished(jobId, atKill);
    expect((await writes.done).reason).toBe('shutdown');
    expect((await v.get()).properties?.activeLocation).toBe('Primary');
    expect(await v.diskHashes(p.hyperV, v.vm.id)).toEqual(await v.diskHashes(recoverySite, recoveryVm.vmId));
    expect((await p.hyperV.getVm(v.vm.id))?.powerState).toBe('Running');

    await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    expect(await recoverySite.getVm(recoveryVm.vmId)).toBeUndefined();
    await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected');
    expect((await v.record()).state.replicationDirection).toBe('PrimaryToRecovery');
  });

  it('unplanned failover with the source required: a crash during the final sync loses nothing', async () => {
    workload = await runWorkload(p.hyperV, v.vm.id, { writesPerSecond: 20 });
    await v.pointAfter(new Date().toISOString());
    const jobId = await begin(() =>
      p.sr.replicationProtectedItems.beginUnplannedFailover(
        p.vault, p.rg, p.site, p.container, ITEM,
        { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'Required', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
        FAST,
      ),
    );
    const atKill = await crashAndRestart(jobId, (j, record) => progressOf(j).step === 2 && pointTakenSince(record, progressOf(j).data.freshSince));
    expect(atKill.tasks.filter((t) => t.state === 'Succeeded').length).toBe(2);
    const done = await finished(jobId, atKill);
    // Drilled before: no warning.
    expect(done.errors).toEqual([]);
    expect((await workload.done).reason).toBe('shutdown');
    workload = undefined;
    const failedOver = await v.get();
    expect(failedOver.properties?.activeLocation).toBe('Recovery');
    expect(failedOver.properties?.protectionState).toBe('UnplannedFailoverCompleted');
    const recoveryVm = (await v.record()).recoveryVm!;
    expect(await v.diskHashes(recoverySite, recoveryVm.vmId)).toEqual(await v.diskHashes(p.hyperV, v.vm.id));
    await p.sr.replicationProtectedItems.beginFailoverCommitAndWait(p.vault, p.rg, p.site, p.container, ITEM, FAST);
    expect((await v.get()).properties?.allowedOperations).toContain('ReverseReplicate');
  });
});
