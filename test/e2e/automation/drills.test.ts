/**
 * Scheduled drills on a real host: on a one-minute schedule each drill test-fails its item over,
 * proves every test VM's disks against the recovery point's manifest and the workload's write
 * history, cleans up and reports. A replica whose bytes were flipped (after its manifest was
 * written) fails its drill, naming the disk and the chunk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../../../shared/replication/chunks.js';
import { runWorkload, type Workload } from '../../../shared/site/hyperv/runWorkload.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { startService } from '../../support/clients.js';
import { all, armFetch } from '../infra/infraFixture.js';
import { itemView, protectNewVm } from '../lifecycle/lifecycleFixture.js';
import { MiB, prepareProtection, type ProtectionVault } from '../protection/protectionFixture.js';
import { automationOf, type Automation } from './queueFixture.js';

interface DrillReport {
  name: string;
  properties: {
    scheduleName: string;
    outcome: string;
    reason?: string;
    durationSeconds: number;
    vms: Array<{
      name: string;
      recoveryPointId: string;
      rpoSecondsAtPoint: number;
      bytesVerified: number;
      disks: Array<{ diskId: string; bytesVerified: number; mismatchedChunks: number[] }>;
      writeHistory: { check: string; lastWrite?: number };
      outcome: string;
      problems: string[];
    }>;
  };
}

const CORRUPT_CHUNK = 3;

describe('scheduled drills', () => {
  let p: ProtectionVault;
  let a: Automation;
  let web: SiteVm;
  let db: SiteVm;
  let workload: Workload;

  beforeAll(async () => {
    p = await prepareProtection(await startService(), 5);
    a = await automationOf(p);
    web = await protectNewVm(p, 'web-01', [2 * MiB, MiB]);
    db = await protectNewVm(p, 'db-01', [MiB]);
    workload = await runWorkload(p.hyperV, web.id, { writesPerSecond: 20 });
  });

  afterAll(async () => {
    await workload?.stop().catch(() => undefined);
    await p?.service.stop();
  });

  it('refuses a schedule that is no NCRONTAB or a target that is not in the vault', async () => {
    const bad = await armFetch(p.service, 'PUT', `${a.vaultPath}/replicationDrillSchedules/nightly`, { body: { properties: { targetId: a.itemPath('web-01'), schedule: 'every night' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('properties.schedule');
    const missing = await armFetch(p.service, 'PUT', `${a.vaultPath}/replicationDrillSchedules/nightly`, { body: { properties: { targetId: a.itemPath('no-such-vm'), schedule: '0 0 2 * * *' } } });
    expect(missing.status).toBe(404);
    const elsewhere = await armFetch(p.service, 'PUT', `${a.vaultPath}/replicationDrillSchedules/nightly`, { body: { properties: { targetId: '/subscriptions/x/resourceGroups/y', schedule: '0 0 2 * * *' } } });
    expect(elsewhere.status).toBe(400);
    expect((await armFetch(p.service, 'GET', `${a.vaultPath}/replicationDrillSchedules`)).json).toEqual({ value: [] });
  });

  it('runs drills on a one-minute schedule: a passing report, and a failing one over a corrupted replica naming disk and chunk', async () => {
    // Flip bytes in db-01's replica (the idle VM: no cycle rewrites that chunk), then wait for a point that holds them.
    const replicas = p.services.recoverySite(p.ref, p.recovery);
    const disk = db.disks[0]!;
    const replica = replicas.container.getPageBlobClient(replicas.replicaBlobName(p.itemKey('db-01'), disk.id));
    const offset = CORRUPT_CHUNK * CHUNK_SIZE;
    for (;;) {
      const bytes = await replica.downloadToBuffer(offset, 512);
      for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff;
      try {
        await replica.uploadPages(bytes, offset, 512);
        break;
      } catch (error) {
        // A cycle holds the replica's lease: try again between cycles.
        if ((error as { statusCode?: number }).statusCode !== 412) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const dbView = itemView(p, 'db-01', db);
    await dbView.pointAfter(new Date().toISOString());

    for (const [name, vm] of [['web-drill', 'web-01'], ['db-drill', 'db-01']] as const) {
      const put = await armFetch(p.service, 'PUT', `${a.vaultPath}/replicationDrillSchedules/${name}`, { body: { properties: { targetId: a.itemPath(vm), schedule: '0 * * * * *', recoveryPointId: 'LatestProcessed' } } });
      expect(put.status).toBe(201);
      expect(put.json.properties).toMatchObject({ schedule: '0 * * * * *', recoveryPointId: 'LatestProcessed', enabled: true });
    }
    const deadline = Date.now() + 110_000;
    let reports: DrillReport[] = [];
    while (Date.now() < deadline && reports.length < 2) {
      reports = (await armFetch(p.service, 'GET', `${a.vaultPath}/replicationDrillReports`)).json.value as DrillReport[];
      await new Promise((r) => setTimeout(r, 1000));
    }
    const byName = new Map(reports.map((report) => [report.properties.scheduleName, report]));
    const passed = byName.get('web-drill')!;
    expect(passed.properties).toMatchObject({ outcome: 'Passed' });
    const [vmReport] = passed.properties.vms;
    expect(vmReport).toMatchObject({ name: 'web-01', outcome: 'Passed', problems: [], writeHistory: { check: 'Consistent' } });
    expect(vmReport!.writeHistory.lastWrite).toBeGreaterThan(0);
    expect(vmReport!.disks.map((d) => d.diskId).sort()).toEqual(web.disks.map((d) => d.id).sort());
    expect(vmReport!.disks.every((d) => d.bytesVerified > 0 && d.mismatchedChunks.length === 0)).toBe(true);
    expect(vmReport!.rpoSecondsAtPoint).toBeGreaterThanOrEqual(0);

    const failed = byName.get('db-drill')!;
    expect(failed.properties.outcome).toBe('Failed');
    expect(failed.properties.vms[0]!.disks[0]).toMatchObject({ diskId: disk.id, mismatchedChunks: [CORRUPT_CHUNK] });
    expect(failed.properties.vms[0]!.problems.join(' ')).toContain(`Disk ${disk.id} differs from the recovery point's manifest in chunk ${CORRUPT_CHUNK}`);

    // Each drill cleaned up after itself, and left its event.
    for (const name of ['web-01', 'db-01']) {
      const item = await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, name);
      expect(item.properties?.testFailoverState).toBe('MarkedForDeletion');
    }
    // Only the passed drill counts as a successful test failover.
    expect((await itemView(p, 'web-01', web).record()).lastSuccessfulTestFailoverTime).toBeDefined();
    expect((await dbView.record()).lastSuccessfulTestFailoverTime).toBeUndefined();
    const events = await all(p.sr.replicationEvents.list(p.vault, p.rg, { filter: "eventType eq 'DrillReport'" }));
    expect(events.map((e) => [e.properties?.description, e.properties?.severity]).sort()).toEqual([
      ['Drill db-drill failed', 'Critical'],
      ['Drill web-drill passed', 'OK'],
    ]);
    const report = await armFetch(p.service, 'GET', `${a.vaultPath}/replicationDrillReports/${failed.name}`);
    expect(report.json.properties.outcome).toBe('Failed');
  });

  it('drills a recovery plan, and skips a drill whose item is in no state to test', async () => {
    // web-01 waits in a test failover of its own: its drill's test failover is refused, so the drill is skipped.
    await p.sr.replicationProtectedItems.beginTestFailoverAndWait(p.vault, p.rg, p.site, p.container, 'web-01', { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, { updateIntervalInMs: 200 });
    await p.sr.replicationRecoveryPlans.beginCreateAndWait(p.vault, p.rg, 'db-plan', { properties: { primaryFabricId: `${a.vaultPath}/replicationFabrics/${p.site}`, recoveryFabricId: 'Microsoft Azure', groups: [{ groupType: 'Boot', replicationProtectedItems: [{ id: a.itemPath('db-01') }] }] } }, { updateIntervalInMs: 200 });
    for (const schedule of ['web-drill', 'db-drill']) expect((await armFetch(p.service, 'DELETE', `${a.vaultPath}/replicationDrillSchedules/${schedule}`)).status).toBe(200);
    const plan = await armFetch(p.service, 'PUT', `${a.vaultPath}/replicationDrillSchedules/plan-drill`, { body: { properties: { targetId: `${a.vaultPath}/replicationRecoveryPlans/db-plan`, schedule: '0 * * * * *' } } });
    expect(plan.status).toBe(201);
    expect((await armFetch(p.service, 'PUT', `${a.vaultPath}/replicationDrillSchedules/web-busy`, { body: { properties: { targetId: a.itemPath('web-01'), schedule: '0 * * * * *' } } })).status).toBe(201);
    const deadline = Date.now() + 110_000;
    const latest = new Map<string, DrillReport>();
    while (Date.now() < deadline && latest.size < 2) {
      for (const report of (await armFetch(p.service, 'GET', `${a.vaultPath}/replicationDrillReports`)).json.value as DrillReport[]) {
        if (['plan-drill', 'web-busy'].includes(report.properties.scheduleName)) latest.set(report.properties.scheduleName, report);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    const planReport = latest.get('plan-drill')!;
    expect(planReport.properties.outcome).toBe('Failed');
    expect(planReport.properties.vms.map((vm) => [vm.name, vm.outcome])).toEqual([['db-01', 'Failed']]);
    expect(planReport.properties.vms[0]!.disks[0]!.mismatchedChunks).toEqual([CORRUPT_CHUNK]);
    const skipped = latest.get('web-busy')!;
    expect(skipped.properties).toMatchObject({ outcome: 'Skipped', vms: [] });
    expect(skipped.properties.reason).toMatch(/refused|busy/);
    // The plan's test failover was cleaned up; web-01's own test failover is untouched.
    expect((await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, 'db-01')).properties?.testFailoverState).toBe('MarkedForDeletion');
    expect((await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, 'web-01')).properties?.testFailoverState).toBe('WaitingForCompletion');
  });
});
