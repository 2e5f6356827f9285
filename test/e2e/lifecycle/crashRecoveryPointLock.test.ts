/**
 * A crash of the host while a test failover locks its recovery point, followed by a restart in
 * place, locks that one point only: the re-run step pins the point it had chosen, not a newer one
 * that arrived meanwhile (which would leave the first pinned against pruning for ever). See
 * `crashDrill`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { FAST, MiB, type ProtectionVault } from '../protection/protectionFixture.js';
import { drillBed, type DrillBed, type CrashDrill } from './crashDrill.js';
import type { ItemView } from './lifecycleFixture.js';

const ITEM = 'web-02';

describe('crash recovery while a recovery point is locked', () => {
  let bed: DrillBed;
  let p: ProtectionVault;
  let drill: CrashDrill;
  let v: ItemView;
  let recoverySite: HyperVSite;

  beforeAll(async () => {
    bed = await drillBed(ITEM, [2 * MiB]);
    ({ p, v, drill, recoverySite } = bed);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('test failover on the latest processed point: a crash while it locks the point locks that point only', async () => {
    const key = p.itemKey(ITEM);
    const pinnedBy = async (jobId: string): Promise<string[]> => {
      const ids: string[] = [];
      for await (const point of p.services.points.list(key)) if (point.pinnedBy?.includes(jobId)) ids.push(point.id);
      return ids;
    };
    // Late in the interval: the next point arrives while the host is down or restarting.
    await v.pointAfter(new Date().toISOString());
    await new Promise((r) => setTimeout(r, 3000));
    const jobId = await drill.begin((options) =>
      p.sr.replicationProtectedItems.beginTestFailover(
        p.vault, p.rg, p.site, p.container, ITEM,
        { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'LatestProcessed' } } },
        options,
      ),
    );
    // Right after the pin, before the job records it (or just after).
    await drill.crashWhen(jobId, async () => (await pinnedBy(jobId)).length > 0);
    await drill.finished(jobId);
    const testVm = (await v.record()).testVm!;
    expect(await pinnedBy(jobId)).toEqual([testVm.pointId]);
    expect(await v.diskHashes(recoverySite, testVm.vmId)).toEqual(await v.pointHashes(await v.point(testVm.pointId)));
    await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: {} }, FAST);
    expect(await pinnedBy(jobId)).toEqual([]);
    expect(await recoverySite.listVms()).toEqual([]);
  });
});
