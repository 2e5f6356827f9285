/**
 * The replication chain driven message by message on Azurite (no host): initial replication to
 * Protected, delta cycles that follow the workload, and exactly one live chain despite duplicate
 * and redelivered messages.
 */
import { createLogger } from '../../../shared/logging/logger.js';
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import { describe, expect, it, beforeAll } from 'vitest';
import type { VaultRef } from '../../../shared/arm/resourceId.js';
import { vaultId } from '../../../shared/arm/resourceId.js';
import { configForStorage } from '../../../shared/config.js';
import { createDeps, type Deps } from '../../../shared/deps.js';
import { transition } from '../../../shared/domain/protectionMachine.js';
import { enablingSnapshot } from '../../../shared/domain/protectionState.js';
import type { PolicyRecord } from '../../../shared/infra/policies.js';
import { ROW } from '../../../shared/infra/rowKinds.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { itemKeyOf, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import { advanceReplication } from '../../../shared/protection/replicationChain.js';
import { beginReplication, kickReplication } from '../../../shared/protection/replicationControl.js';
import { REPLICATION_QUEUE } from '../../../shared/protection/replicationQueue.js';
import { chainIsStalled } from '../../../shared/protection/sweepProtectedItems.js';
import { createHyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { runWorkload } from '../../../shared/site/hyperv/runWorkload.js';
import { siteKeyOf } from '../../../shared/site/siteKeyOf.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

const silent = () => undefined;
const quiet = createLogger({ debug: silent, info: silent, warn: silent, error: silent });
const MiB = 1024 * 1024;

interface Delivered {
  body: unknown;
  dequeueCount: number;
}

describe('replication chain', () => {
  let services: Deps;
  let replicationQueue: QueueClient;
  let vault: VaultRef;

  beforeAll(() => {
    const connectionString = testStorage();
    const clients = createStorageClients(connectionString);
    services = createDeps(configForStorage(connectionString, { controlPlaneTable: `chain${randomUUID().replaceAll('-', '')}` }));
    replicationQueue = clients.queues.getQueueClient(REPLICATION_QUEUE);
    vault = { subscriptionId: randomUUID(), resourceGroupName: 'rg', vaultName: `v${randomUUID().slice(0, 8)}` };
  });

  /** Receives every visible chain message (ignoring visibility delays by peeking what is due). */
  async function receiveAll(): Promise<Delivered[]> {
    const { receivedMessageItems } = await replicationQueue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 1 });
    const out: Delivered[] = [];
    for (const m of receivedMessageItems) {
      await replicationQueue.deleteMessage(m.messageId, m.popReceipt);
      out.push({ body: JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')), dequeueCount: m.dequeueCount });
    }
    return out;
  }

  async function itemRow(name: string) {
    const row = await services.plane.repository.get<ProtectedItemRecord>(vaultPartition(vault), PROTECTED_ITEM_ROW, ['hv', 'hv-container', name]);
    if (!row) throw new Error('item missing');
    return row;
  }

  type VmDisks = Parameters<ReturnType<typeof createHyperVSite>['addVm']>[0]['disks'];
  const smallDisks: VmDisks = [{ sizeBytes: 2 * MiB, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } }, { sizeBytes: MiB, contents: { kind: 'pattern', byte: 7 } }];

  async function setUp(name: string, intervalSeconds: number, disks: VmDisks = smallDisks) {
    await replicationQueue.createIfNotExists();
    await replicationQueue.clearMessages();
    const policy: PolicyRecord = {
      name: `p-${name}`,
      instanceType: 'HyperVReplicaAzure',
      recoveryPointHistoryDuration: 24,
      applicationConsistentSnapshotFrequencyInHours: 0,
      replicationInterval: intervalSeconds,
      onlineReplicationStartTime: null,
      storageAccounts: [],
      createdAt: new Date().toISOString(),
      provisioningState: 'Succeeded',
    };
    await services.plane.repository.upsert(vaultPartition(vault), ROW.policy, policy.name, policy);
    const site = createHyperVSite(createStorageClients(testStorage()), { siteKey: siteKeyOf(vaultId(vault), 'hv') });
    await site.ensure();
    const vm = await site.addVm({ name, disks });
    const now = new Date();
    const enabled = transition(enablingSnapshot, { type: 'ProtectionEnabled' });
    if (!enabled.ok) throw new Error(enabled.reason);
    const record = beginReplication(
      {
        vault,
        name,
        fabricName: 'hv',
        containerName: 'hv-container',
        itemKey: itemKeyOf(vault, 'hv', 'hv-container', name),
        friendlyName: name,
        protectableItemId: vm.id,
        vmId: vm.id,
        osType: 'Linux',
        generation: 2,
        cpuCount: 2,
        memoryMB: 2048,
        policyName: policy.name,
        mappingName: 'm',
        recoveryFabricName: 'rs',
        recoveryContainerName: 'rs-container',
        disks: vm.disks.map((d) => ({ diskId: d.id, name: d.name, sizeBytes: d.sizeBytes, isOsDisk: d.isOsDisk, container: site.containerName, blobName: d.blobName })),
        recovery: { vmName: name, vmSize: 'Standard_D2s_v3' },
        state: enabled.next,
        replication: { generation: 0, token: randomUUID(), active: false, touchedAt: now.toISOString(), startedAt: now.toISOString() },
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      },
      now,
    );
    await services.plane.repository.create(vaultPartition(vault), PROTECTED_ITEM_ROW, ['hv', 'hv-container', name], record);
    await kickReplication(services, vault, record);
    return { site, vm };
  }

  /** How many recovery points the item has (its first page: these tests keep a few). */
  async function pointsOf(name: string): Promise<number> {
    return (await services.points.list((await itemRow(name)).value.itemKey).byPage().next()).value?.length ?? 0;
  }

  /** Waits up to 5 s for queued chain messages; returns what arrived. */
  async function nextMessages(): Promise<Delivered[]> {
    let next: Delivered[] = [];
    for (let round = 0; round < 50 && next.length === 0; round++) {
      await new Promise((r) => setTimeout(r, 100));
      next = await receiveAll();
    }
    return next;
  }

  /** Delivers messages until the item has `points` recovery points (a bounded number of rounds). */
  async function runUntilPoints(name: string, points: number): Promise<void> {
    for (let round = 0; round < 200; round++) {
      const row = await itemRow(name);
      const count = (await services.points.list(row.value.itemKey).byPage().next()).value?.length ?? 0;
      if (count >= points && !row.value.replication.cycle) return;
      for (const m of await receiveAll()) await advanceReplication(services, m.body, { dequeueCount: m.dequeueCount }, process.env.CHAIN_DEBUG ? createLogger(console) : quiet);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('chain did not produce the expected points');
  }

  it('replicates to Protected and keeps cutting points equal to the source', async () => {
    const { site, vm } = await setUp('web', 1);
    await runUntilPoints('web', 1);
    let row = await itemRow('web');
    expect(row.value.state.protectionState).toBe('Protected');
    expect(row.value.replication.initialReplicationPercent).toBe(100);
    expect(row.value.replication.lastCycle?.kind).toBe('initial');

    // Writes at the source, then a delta cycle: the new point equals the source.
    const workload = await runWorkload(site, vm.id, { maxWrites: 8, writesPerSecond: 0 });
    expect((await workload.done).writes).toBe(8);
    await runUntilPoints('web', 2);
    row = await itemRow('web');
    expect(row.value.replication.lastCycle?.kind).toBe('delta');
    const point = await services.points.get(row.value.itemKey, row.value.replication.lastPointId!);
    const engine = services.engine(site, services.sites.replicas(vault, 'rs').target);
    expect((await engine.verifyRecoveryPoint(point!)).ok).toBe(true);
    const checkpoint = await site.checkpoint(vm.id);
    const compared = await engine.compareWithSource(point!, { ...checkpoint, disks: checkpoint.disks });
    expect(compared.ok).toBe(true);
    await site.deleteCheckpoint(checkpoint);

    // No write since: the next point holds the same history, taken without a checkpoint (none is
    // left at the source), and still equals the source; writes after it are in the point after.
    await runUntilPoints('web', 3);
    row = await itemRow('web');
    const quietPoint = await services.points.get(row.value.itemKey, row.value.replication.lastPointId!);
    expect(quietPoint!.seq).toBe(point!.seq);
    expect(quietPoint!.id).not.toBe(point!.id);
    const snapshots: string[] = [];
    for await (const blob of site.container.listBlobsFlat({ prefix: `disks/${vm.id.toLowerCase()}/`, includeSnapshots: true })) if (blob.snapshot) snapshots.push(blob.snapshot);
    expect(snapshots).toEqual([]);
    const more = await runWorkload(site, vm.id, { maxWrites: 5, writesPerSecond: 0 });
    const { lastSeq } = await more.done;
    for (let round = 0; round < 20 && (await itemRow('web')).value.replication.lastSeq !== lastSeq; round++) await runUntilPoints('web', 4);
    row = await itemRow('web');
    expect(row.value.replication.lastSeq).toBe(lastSeq);
    const written = await services.points.get(row.value.itemKey, row.value.replication.lastPointId!);
    const after = await site.checkpoint(vm.id);
    expect((await engine.compareWithSource(written!, after)).ok).toBe(true);
    expect((await engine.verifyRecoveryPoint(written!)).ok).toBe(true);
    await site.deleteCheckpoint(after);
  });

  it('keeps one chain: duplicates are dropped, a redelivered message re-sends the current step once', async () => {
    // A first copy larger than one step: the planning message copies one step and sends the next.
    await setUp('app', 3600, [{ sizeBytes: 48 * MiB, isOsDisk: true, contents: { kind: 'pattern', byte: 3 } }]);
    const [first] = await receiveAll();
    expect(first).toBeDefined();
    await advanceReplication(services, first!.body, { dequeueCount: 1 }, quiet);
    const afterFirst = await itemRow('app');
    // A duplicate copy of the same message is stale now and sends nothing.
    await advanceReplication(services, first!.body, { dequeueCount: 1 }, quiet);
    expect((await itemRow('app')).etag).toBe(afterFirst.etag);
    let queued = await receiveAll();
    expect(queued).toHaveLength(1);
    // The same message redelivered after a crash (dequeueCount 2) re-sends the successor once.
    await advanceReplication(services, first!.body, { dequeueCount: 2 }, quiet);
    const resent = await receiveAll();
    expect(resent).toHaveLength(1);
    expect(resent[0]!.body).toEqual(queued[0]!.body);
    // Another redelivery of it (a duplicate, or a crash again) does not multiply the chain.
    await advanceReplication(services, first!.body, { dequeueCount: 3 }, quiet);
    expect(await receiveAll()).toHaveLength(0);
    // Both copies of the successor: one advances, the other is dropped.
    await advanceReplication(services, queued[0]!.body, { dequeueCount: 1 }, quiet);
    await advanceReplication(services, resent[0]!.body, { dequeueCount: 1 }, quiet);
    queued = await receiveAll();
    expect(queued).toHaveLength(1);
    await advanceReplication(services, queued[0]!.body, { dequeueCount: 1 }, quiet);
    await runUntilPoints('app', 1);
    const row = await itemRow('app');
    expect(row.value.state.protectionState).toBe('Protected');
    // With an hour's interval the next cycle is far off: the chain is not stalled.
    expect(chainIsStalled(row.value, new Date())).toBe(false);
    expect(chainIsStalled(row.value, new Date(Date.now() + 2 * 3600_000))).toBe(true);
  });

  it('plans and finishes an idle cycle in one message, whose redelivery re-sends the successor once', async () => {
    await setUp('idle', 1);
    await runUntilPoints('idle', 1);
    const before = await pointsOf('idle');
    const next = await nextMessages();
    expect(next).toHaveLength(1);
    await advanceReplication(services, next[0]!.body, { dequeueCount: 1 }, quiet);
    const row = await itemRow('idle');
    expect(row.value.replication.cycle).toBeUndefined();
    expect(row.value.replication.lastCycle).toMatchObject({ kind: 'delta', bytesUploaded: 0 });
    expect(await pointsOf('idle')).toBe(before + 1);
    expect(row.value.replication.lastPoint?.id).toBe(row.value.replication.lastPointId);
    // The successor waits for the interval; the message that planned and finished names the previous token.
    expect(row.value.replication.previousToken).toBe((next[0]!.body as { token: string }).token);
    expect((await replicationQueue.getProperties()).approximateMessagesCount).toBe(1);
    // Redelivered after a crash before its send: the successor is sent again, once.
    await advanceReplication(services, next[0]!.body, { dequeueCount: 2 }, quiet);
    await advanceReplication(services, next[0]!.body, { dequeueCount: 3 }, quiet);
    expect((await replicationQueue.getProperties()).approximateMessagesCount).toBe(2);
    expect(await pointsOf('idle')).toBe(before + 1);
  });

  it('plans, copies and finishes a busy cycle in one message, whose redelivery re-sends the successor once', async () => {
    const { site, vm } = await setUp('busy', 1);
    await runUntilPoints('busy', 1);
    const before = await pointsOf('busy');
    const { lastSeq } = await (await runWorkload(site, vm.id, { maxWrites: 6, writesPerSecond: 0 })).done;
    const next = await nextMessages();
    expect(next).toHaveLength(1);
    await advanceReplication(services, next[0]!.body, { dequeueCount: 1 }, quiet);
    const row = await itemRow('busy');
    expect(row.value.replication.cycle).toBeUndefined();
    expect(row.value.replication.lastSeq).toBe(lastSeq);
    expect(row.value.replication.lastCycle?.kind).toBe('delta');
    expect(row.value.replication.lastCycle?.bytesUploaded).toBeGreaterThan(0);
    expect(await pointsOf('busy')).toBe(before + 1);
    // The point holds the writes: it verifies and equals the source.
    const point = await services.points.get(row.value.itemKey, row.value.replication.lastPointId!);
    const engine = services.engine(site, services.sites.replicas(vault, 'rs').target);
    expect((await engine.verifyRecoveryPoint(point!)).ok).toBe(true);
    const checkpoint = await site.checkpoint(vm.id);
    expect((await engine.compareWithSource(point!, checkpoint)).ok).toBe(true);
    await site.deleteCheckpoint(checkpoint);
    expect(row.value.replication.previousToken).toBe((next[0]!.body as { token: string }).token);
    expect((await replicationQueue.getProperties()).approximateMessagesCount).toBe(1);
    await advanceReplication(services, next[0]!.body, { dequeueCount: 2 }, quiet);
    await advanceReplication(services, next[0]!.body, { dequeueCount: 3 }, quiet);
    expect((await replicationQueue.getProperties()).approximateMessagesCount).toBe(2);
    expect(await pointsOf('busy')).toBe(before + 1);
  });

  it('schedules the next cycle an interval after the last was due, less no more than half an interval of lag', async () => {
    await setUp('lag', 10);
    await runUntilPoints('lag', 1);
    /** Runs the cycle as if it had been due `lagMs` ago, returning the next cycle's due time and the new point's time. */
    const cycleLate = async (lagMs: number): Promise<{ due: number; next: number; point: number }> => {
      await replicationQueue.clearMessages();
      const due = new Date(Date.now() - lagMs).toISOString();
      const row = await itemRow('lag');
      const late = await services.plane.repository.replace(row, { ...row.value, replication: { ...row.value.replication, nextCycleAt: due } });
      await kickReplication(services, vault, late.value);
      const [message] = await receiveAll();
      await advanceReplication(services, message!.body, { dequeueCount: 1 }, quiet);
      const status = (await itemRow('lag')).value.replication;
      expect(status.cycle).toBeUndefined();
      return { due: Date.parse(due), next: Date.parse(status.nextCycleAt!), point: Date.parse(status.lastPointTime!) };
    };
    // Due 3 s ago: the next cycle is due one interval after this one was, so points stay 10 s apart.
    const short = await cycleLate(3_000);
    expect(short.next - short.due).toBe(10_000);
    // Due 8 s ago (a chain that was held up): at most half an interval is made up.
    const long = await cycleLate(8_000);
    expect(long.next - long.point).toBe(5_000);
  });

  it('a step failing on its last delivery sends a fresh message for the same step instead of ending in the poison queue', async () => {
    await setUp('db', 3600);
    const [first] = await receiveAll();
    const before = await itemRow('db');
    // The policy is gone: the planning step fails.
    await services.plane.repository.delete(vaultPartition(vault), ROW.policy, 'p-db');
    await expect(advanceReplication(services, first!.body, { dequeueCount: 1, maxDequeueCount: 5 }, quiet)).rejects.toThrow(/policy/);
    expect((await replicationQueue.getProperties()).approximateMessagesCount).toBe(0);
    await advanceReplication(services, first!.body, { dequeueCount: 5, maxDequeueCount: 5 }, quiet);
    expect((await replicationQueue.getProperties()).approximateMessagesCount).toBe(1);
    const after = await itemRow('db');
    expect(after.value.replication.token).toBe(before.value.replication.token);
    expect(after.value.replication.lastCycleError?.message).toMatch(/policy/);
  });
});
