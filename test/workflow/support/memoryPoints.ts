/** Recovery points in memory, with the Table store's contract (newest first, pins, marked deletion). */
import type { RecoveryPoint } from '../../../shared/replication/recoveryPoint.js';
import type { DeleteOutcome, PagedRecoveryPoints, RecoveryPointPage, RecoveryPointStore } from '../../../shared/replication/recoveryPointStore.js';

export interface MemoryPoints extends RecoveryPointStore {
  /** Every point of an item, newest first (for assertions). */
  all(itemKey: string): RecoveryPoint[];
}

export function createMemoryPoints(): MemoryPoints {
  const items = new Map<string, Map<string, RecoveryPoint>>();
  const watermarks = new Map<string, string>();
  const of = (itemKey: string): Map<string, RecoveryPoint> => {
    let points = items.get(itemKey);
    if (!points) items.set(itemKey, (points = new Map()));
    return points;
  };
  const newestFirst = (itemKey: string): RecoveryPoint[] => [...of(itemKey).values()].sort((a, b) => Date.parse(b.time) - Date.parse(a.time)).map((point) => structuredClone(point));
  const paged = (points: RecoveryPoint[]): PagedRecoveryPoints => {
    const all = (async function* () {
      yield* points;
    })();
    const byPage = (): AsyncIterableIterator<RecoveryPointPage> =>
      (async function* () {
        yield Object.assign([...points], {});
      })();
    return Object.assign(all, { byPage });
  };
  const change = (itemKey: string, pointId: string, pins: (current: string[]) => string[]): RecoveryPoint | undefined => {
    const point = of(itemKey).get(pointId);
    if (!point) return undefined;
    const pinnedBy = pins(point.pinnedBy ?? []);
    const next: RecoveryPoint = { ...point, ...(pinnedBy.length > 0 ? { pinnedBy } : {}) };
    if (pinnedBy.length === 0) delete next.pinnedBy;
    of(itemKey).set(pointId, next);
    return structuredClone(next);
  };
  const remove = (itemKey: string, pointId: string): DeleteOutcome => {
    const point = of(itemKey).get(pointId);
    if (!point) return 'missing';
    if ((point.pinnedBy ?? []).length > 0) return 'pinned';
    of(itemKey).delete(pointId);
    return 'deleted';
  };
  return {
    all: newestFirst,
    async ensure() {},
    async add(point) {
      const existing = of(point.itemKey).get(point.id);
      if (existing) return structuredClone(existing);
      of(point.itemKey).set(point.id, structuredClone(point));
      return point;
    },
    async get(itemKey, pointId) {
      const point = of(itemKey).get(pointId);
      return point ? structuredClone(point) : undefined;
    },
    list: (itemKey, options = {}) =>
      paged(
        newestFirst(itemKey).filter(
          (point) =>
            (options.olderThan === undefined || Date.parse(point.time) < new Date(options.olderThan).getTime()) &&
            (options.notBefore === undefined || Date.parse(point.time) >= new Date(options.notBefore).getTime()) &&
            (options.type === undefined || point.type === options.type),
        ),
      ),
    latest: async (itemKey) => newestFirst(itemKey)[0],
    latestApplicationConsistent: async (itemKey) => newestFirst(itemKey).find((point) => point.type === 'ApplicationConsistent'),
    pin: async (itemKey, pointId, by) => change(itemKey, pointId, (pins) => [...new Set([...pins, by])]),
    unpin: async (itemKey, pointId, by) => change(itemKey, pointId, (pins) => pins.filter((pin) => pin !== by)),
    delete: async (itemKey, pointId) => remove(itemKey, pointId),
    deleteMany: async (itemKey, points) => new Map(points.map((point) => [point.id, remove(itemKey, point.id)])),
    getPruneWatermark: async (itemKey) => watermarks.get(itemKey),
    async setPruneWatermark(itemKey, time) {
      watermarks.set(itemKey, time);
    },
    async deleteItemRows(itemKey) {
      items.delete(itemKey);
      return { done: true };
    },
  };
}
