/**
 * Applies retention to one protected item's points, reading only what it may delete: the points past
 * retention, and the points that crossed the 2-hour line since the last run (from the clock hour of
 * the store's prune watermark), plus the newest point.
 */
import type { RecoveryPoint } from './recoveryPoint.js';
import type { RecoveryPointStore } from './recoveryPointStore.js';
import { KEEP_ALL_WINDOW_MS, selectPointsToPrune, type PrunePolicy } from './selectPointsToPrune.js';

export interface PruneResult {
  deleted: string[];
  /** Selected but kept because an operation pinned them meanwhile. */
  pinned: string[];
  /** Points read. */
  examined: number;
}

const HOUR = 3_600_000;

export async function prunePoints(store: RecoveryPointStore, itemKey: string, now: Date, policy: PrunePolicy): Promise<PruneResult> {
  const newest = await store.latest(itemKey);
  if (!newest) return { deleted: [], pinned: [], examined: 0 };
  const cutoff = new Date(now.getTime() - policy.retentionHours * HOUR);
  const thinBefore = new Date(now.getTime() - KEEP_ALL_WINDOW_MS);
  const watermark = await store.getPruneWatermark(itemKey);
  const from = new Date(Math.max(cutoff.getTime(), watermark ? Math.floor(Date.parse(watermark) / HOUR) * HOUR : 0));
  const candidates: RecoveryPoint[] = [newest];
  for await (const point of store.list(itemKey, { olderThan: cutoff })) if (point.id !== newest.id) candidates.push(point);
  if (from < thinBefore) {
    for await (const point of store.list(itemKey, { olderThan: thinBefore, notBefore: from })) if (point.id !== newest.id) candidates.push(point);
  }
  const result: PruneResult = { deleted: [], pinned: [], examined: candidates.length };
  for (const [pointId, outcome] of await store.deleteMany(itemKey, selectPointsToPrune(candidates, now, policy))) {
    if (outcome === 'deleted') result.deleted.push(pointId);
    else if (outcome === 'pinned') result.pinned.push(pointId);
  }
  await store.setPruneWatermark(itemKey, thinBefore.toISOString());
  return result;
}
