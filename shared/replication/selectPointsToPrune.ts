/** Which recovery points retention removes: pure, no I/O. */

export interface PrunePolicy {
  /** Points older than this are removed (`recoveryPointHistoryDuration`). */
  retentionHours: number;
  /** Ids pinned by operations, kept in addition to points carrying `pinnedBy`. */
  pinned?: Iterable<string>;
}

/** The fields pruning looks at. */
export interface PrunablePoint {
  id: string;
  time: string;
  pinnedBy?: readonly string[];
}

const HOUR = 3_600_000;
/** Every point of the most recent window is kept. */
export const KEEP_ALL_WINDOW_MS = 2 * HOUR;

/**
 * Points to delete at `now`: those older than retention; among the rest, points older than 2 h except
 * the newest of each clock hour (UTC). Never the newest point, never a pinned point.
 */
export function selectPointsToPrune<P extends PrunablePoint>(points: readonly P[], now: Date, policy: PrunePolicy): P[] {
  if (points.length === 0) return [];
  const pinned = new Set(policy.pinned ?? []);
  const nowMs = now.getTime();
  const cutoff = nowMs - policy.retentionHours * HOUR;
  const ms = (p: P): number => Date.parse(p.time);
  const newest = points.reduce((a, b) => (ms(b) > ms(a) || (ms(b) === ms(a) && b.id < a.id) ? b : a));
  const newestOfHour = new Map<number, P>();
  for (const point of points) {
    const t = ms(point);
    if (t < cutoff || nowMs - t <= KEEP_ALL_WINDOW_MS) continue;
    const hour = Math.floor(t / HOUR);
    const best = newestOfHour.get(hour);
    if (!best || t > ms(best) || (t === ms(best) && point.id < best.id)) newestOfHour.set(hour, point);
  }
  return points.filter((point) => {
    if (point === newest || pinned.has(point.id) || (point.pinnedBy?.length ?? 0) > 0) return false;
    const t = ms(point);
    if (t < cutoff) return true;
    if (nowMs - t <= KEEP_ALL_WINDOW_MS) return false;
    return newestOfHour.get(Math.floor(t / HOUR)) !== point;
  });
}
