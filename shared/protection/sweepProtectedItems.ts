/**
 * Timer sweeps over every protected item of every vault: pruning recovery points past retention,
 * and re-seeding replication chains whose next message went missing.
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import type { PolicyRecord } from '../infra/policies.js';
import { ROW } from '../infra/rowKinds.js';
import { inPool } from '../inPool.js';
import { prunePoints } from '../replication/prunePoints.js';
import type { RecoveryPointStore } from '../replication/recoveryPointStore.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';
import { kickReplication } from './replicationControl.js';

/** A chain that has not advanced for this long past its due time is re-seeded. */
export const CHAIN_GRACE_MS = 90_000;

export interface SweepLog {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

const vaultOf = (row: StoredRow<ProtectedItemRecord>): VaultRef | undefined => row.value.vault;

async function policies(deps: Deps, partition: string, cache: Map<string, PolicyRecord | undefined>, name: string): Promise<PolicyRecord | undefined> {
  const key = `${partition}\n${name}`;
  if (!cache.has(key)) cache.set(key, (await deps.plane.repository.get<PolicyRecord>(partition, ROW.policy, name))?.value);
  return cache.get(key);
}

/** Items whose retention is pruned at once (each prune is a chain of small storage calls). */
export const PRUNE_CONCURRENCY = 16;

/** An item whose points are pruned, and the retention that applies. */
export interface PruneTarget {
  itemKey: string;
  friendlyName: string;
  retentionHours: number;
}

/** Deletes every item's points past its policy's retention; returns how many were deleted. */
export async function pruneAllItems(deps: Deps, now: Date, log: SweepLog): Promise<{ items: number; deleted: number }> {
  const cache = new Map<string, PolicyRecord | undefined>();
  const targets: PruneTarget[] = [];
  for await (const row of deps.plane.repository.listEveryPartition<ProtectedItemRecord>(PROTECTED_ITEM_ROW)) {
    const policy = await policies(deps, row.partition, cache, row.value.policyName);
    if (policy) targets.push({ itemKey: row.value.itemKey, friendlyName: row.value.friendlyName, retentionHours: policy.recoveryPointHistoryDuration });
  }
  return { items: targets.length, deleted: await pruneItems(deps.points, targets, now, log) };
}

/** Prunes the items' points, `PRUNE_CONCURRENCY` items at a time; returns how many points were deleted. */
export async function pruneItems(points: RecoveryPointStore, targets: readonly PruneTarget[], now: Date, log: SweepLog): Promise<number> {
  let deleted = 0;
  await inPool(targets, PRUNE_CONCURRENCY, async (target) => {
    try {
      const result = await prunePoints(points, target.itemKey, now, { retentionHours: target.retentionHours });
      deleted += result.deleted.length;
    } catch (error) {
      log.warn(`Pruning recovery points of ${target.friendlyName} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return deleted;
}

/** Whether an item's chain should have advanced by now but did not. */
export function chainIsStalled(record: ProtectedItemRecord, now: Date): boolean {
  const status = record.replication;
  if (!status?.active) return false;
  const touched = Date.parse(status.touchedAt);
  const due = status.cycle ? touched : Math.max(touched, Date.parse(status.nextCycleAt ?? status.touchedAt));
  return now.getTime() - due > CHAIN_GRACE_MS;
}

/** Re-sends the current chain message of every stalled item; returns how many were re-seeded. */
export async function reseedStalledChains(deps: Deps, now: Date, log: SweepLog): Promise<number> {
  let reseeded = 0;
  for await (const row of deps.plane.repository.listEveryPartition<ProtectedItemRecord>(PROTECTED_ITEM_ROW)) {
    const vault = vaultOf(row);
    if (!vault || !chainIsStalled(row.value, now)) continue;
    log.warn(`Replication of ${row.value.friendlyName} had not advanced since ${row.value.replication.touchedAt}; resuming it.`);
    await kickReplication(deps, vault, row.value);
    reseeded++;
  }
  return reseeded;
}
