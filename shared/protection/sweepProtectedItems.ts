/**
 * Timer sweeps over every protected item of every vault: pruning recovery points past retention,
 * and re-seeding replication chains whose next message went missing.
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import type { PolicyRecord } from '../infra/policies.js';
import { ROW } from '../infra/rowKinds.js';
import { prunePoints } from '../replication/prunePoints.js';
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

/** Deletes every item's points past its policy's retention; returns how many were deleted. */
export async function pruneAllItems(deps: Deps, now: Date, log: SweepLog): Promise<{ items: number; deleted: number }> {
  const cache = new Map<string, PolicyRecord | undefined>();
  let items = 0;
  let deleted = 0;
  for await (const row of deps.plane.repository.listEveryPartition<ProtectedItemRecord>(PROTECTED_ITEM_ROW)) {
    const policy = await policies(deps, row.partition, cache, row.value.policyName);
    if (!policy) continue;
    items++;
    try {
      const result = await prunePoints(deps.points, row.value.itemKey, now, { retentionHours: policy.recoveryPointHistoryDuration });
      deleted += result.deleted.length;
    } catch (error) {
      log.warn(`Pruning recovery points of ${row.value.friendlyName} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { items, deleted };
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
