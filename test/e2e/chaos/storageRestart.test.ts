/**
 * Storage restarted under the service: Azurite with persistence on (a data folder) is stopped in the
 * middle of an item's initial replication and started again on the same ports a few seconds later.
 * Replication resumes by itself, the item reaches Protected, delta cycles go on, and a planned
 * failover then brings up a VM whose disks equal the source's byte for byte.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteInstance } from '../../../scripts/azurite.js';
import { runWorkload } from '../../../shared/site/hyperv/runWorkload.js';
import { startService, type Service } from '../../support/clients.js';
import { enableInput, FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';
import { itemView, type ItemView } from '../lifecycle/lifecycleFixture.js';

const ITEM = 'files-01';

describe('storage restarted in the middle of replication', () => {
  let location: string;
  let azurite: AzuriteInstance;
  let service: Service;
  let p: ProtectionVault;
  let v: ItemView;

  beforeAll(async () => {
    location = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-restart-'));
    azurite = await startAzurite({ location });
    // A step running when storage went away is received again 2 s after its lease, not 10 minutes.
    service = await startService({ connectionString: azurite.connectionString, env: { LOCAL_HOST_QUEUE_LEASE_SECONDS: '2' } });
    p = await prepareProtection(service, 5, 0, { clientRetries: 6 });
  });

  afterAll(async () => {
    await service?.stop();
    await azurite?.stop();
    fs.rmSync(location, { recursive: true, force: true });
  });

  it('replication resumes after the restart and nothing is lost', async () => {
    const [vm] = await p.addVms([
      { name: ITEM, disks: [{ sizeBytes: 128 * MiB, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } }, { sizeBytes: 8 * MiB, contents: { kind: 'random', fraction: 0.5 } }] },
    ]);
    v = itemView(p, ITEM, vm!);
    await p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, ITEM, enableInput(p, vm!), FAST);

    // Stop storage once the initial copy is under way.
    const deadline = Date.now() + 30_000;
    let percent = 0;
    while (Date.now() < deadline && percent === 0) {
      percent = (await v.record()).replication.initialReplicationPercent ?? 0;
      if (percent === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThan(100);
    await azurite.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    azurite = await startAzurite({ location, blobPort: azurite.blobPort, queuePort: azurite.queuePort, tablePort: azurite.tablePort });

    // Protected, and healthy again once cycles keep the RPO within the policy (the outage put it past).
    const healthy = await waitForItem(p, ITEM, (i) => i.properties?.protectionState === 'Protected' && i.properties.replicationHealth === 'Normal', 120_000);
    // No replication error is left (the reminder that no test failover was done yet is not one).
    expect((healthy.properties?.healthErrors ?? []).filter((e) => e.errorCategory !== 'TestFailover')).toEqual([]);

    // Delta cycles go on; a planned failover then loses nothing.
    const workload = await runWorkload(p.hyperV, vm!.id, { writesPerSecond: 20 });
    await v.pointAfter(new Date().toISOString(), 30_000);
    await p.sr.replicationProtectedItems.beginPlannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    expect((await workload.done).reason).toBe('shutdown');
    const recoveryVm = (await v.record()).recoveryVm!;
    expect(await v.diskHashes(p.services.recoveryVmSite(p.ref, p.recovery), recoveryVm.vmId)).toEqual(await v.diskHashes(p.hyperV, vm!.id));
  });
});
