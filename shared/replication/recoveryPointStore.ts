/**
 * Recovery points in their own Table: partition = protected item, row key = point id (inverted time
 * first, so a partition lists newest first). Pins are ETag-conditional; deleting first marks the row,
 * then removes the replica snapshots and manifests, then the row, so a crash never loses track of blobs.
 */
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { BlobServiceClient } from '@azure/storage-blob';
import { hasStatus } from '../errors/storageStatus.js';
import type { StorageClients } from '../storage/clients.js';
import { pointBlobs } from './pointBlobs.js';
import { assertItemKey } from './recoverySite.js';
import { invertedTime, type RecoveryPoint, type RecoveryPointDisk, type RecoveryPointType } from './recoveryPoint.js';

/** What deleting a point did. */
export type DeleteOutcome = 'deleted' | 'missing' | 'pinned';

/** Entities one Table transaction holds at most. */
const TABLE_BATCH = 100;

/** One page of points, with the token of the next page. */
export type RecoveryPointPage = RecoveryPoint[] & { continuationToken?: string };

/** Async iterator of points, newest first, that can also be read page by page. */
export interface PagedRecoveryPoints extends AsyncIterableIterator<RecoveryPoint> {
  byPage(settings?: { continuationToken?: string; maxPageSize?: number }): AsyncIterableIterator<RecoveryPointPage>;
}

export interface ListRecoveryPointsOptions {
  /** Only points strictly older than this time. */
  olderThan?: string | Date;
  /** Only points at or after this time. */
  notBefore?: string | Date;
  type?: RecoveryPointType;
}

export interface RecoveryPointStore {
  /** Creates the table when missing. */
  ensure(): Promise<void>;
  /** Adds a point; adding the same id again returns the stored point (idempotent). */
  add(point: RecoveryPoint): Promise<RecoveryPoint>;
  /** The point, or undefined when missing (or being deleted). */
  get(itemKey: string, pointId: string): Promise<RecoveryPoint | undefined>;
  list(itemKey: string, options?: ListRecoveryPointsOptions): PagedRecoveryPoints;
  latest(itemKey: string): Promise<RecoveryPoint | undefined>;
  latestApplicationConsistent(itemKey: string): Promise<RecoveryPoint | undefined>;
  /** Pins a point for an operation; undefined when the point is gone. */
  pin(itemKey: string, pointId: string, by: string): Promise<RecoveryPoint | undefined>;
  unpin(itemKey: string, pointId: string, by: string): Promise<RecoveryPoint | undefined>;
  /** Deletes a point with its snapshots and manifests: 'deleted', 'missing', or 'pinned' (kept). */
  delete(itemKey: string, pointId: string): Promise<'deleted' | 'missing' | 'pinned'>;
  /**
   * Deletes points of one item as `delete` does, many per request: the rows marked in Table
   * transactions (each conditional on the row as listed, so a point pinned since is kept), the blobs
   * removed in blob batches, the rows deleted in transactions. Returns each point's outcome.
   */
  deleteMany(itemKey: string, points: readonly RecoveryPoint[]): Promise<Map<string, DeleteOutcome>>;
  /** Time before which pruning has thinned this item's points (kept by prunePoints). */
  getPruneWatermark(itemKey: string): Promise<string | undefined>;
  setPruneWatermark(itemKey: string, time: string): Promise<void>;
  /** Deletes up to `maxRows` point rows of an item (blobs are removed by deleteReplicas); done when none left. */
  deleteItemRows(itemKey: string, maxRows?: number): Promise<{ done: boolean }>;
}

export interface RecoveryPointStoreOptions {
  tableName?: string;
  /** Blob service holding a point's snapshots and manifests (default: the clients' own). */
  blobsFor?: (point: RecoveryPoint) => BlobServiceClient;
}

interface PointEntity {
  partitionKey: string;
  rowKey: string;
  time: string;
  type: RecoveryPointType;
  seq: number;
  disks: string;
  pinnedBy: string;
  deleting: boolean;
}

const WATERMARK_ROW = '~prune';

function toEntity(point: RecoveryPoint): PointEntity {
  return {
    partitionKey: point.itemKey,
    rowKey: point.id,
    time: point.time,
    type: point.type,
    seq: point.seq,
    disks: JSON.stringify(point.disks),
    pinnedBy: JSON.stringify(point.pinnedBy ?? []),
    deleting: false,
  };
}

function toPoint(entity: PointEntity): RecoveryPoint {
  const pinnedBy = JSON.parse(entity.pinnedBy || '[]') as string[];
  return {
    id: entity.rowKey,
    itemKey: entity.partitionKey,
    time: entity.time,
    type: entity.type,
    seq: Number(entity.seq),
    disks: JSON.parse(entity.disks) as RecoveryPointDisk[],
    ...(pinnedBy.length > 0 ? { pinnedBy } : {}),
  };
}

/** The store on a Table, which checks that read the table see too. */
export type TableRecoveryPointStore = RecoveryPointStore & { readonly table: TableClient };

export function createRecoveryPointStore(clients: Pick<StorageClients, 'table' | 'blobs'>, options: RecoveryPointStoreOptions = {}): TableRecoveryPointStore {
  const table = clients.table(options.tableName ?? 'RecoveryPoints');
  const blobsFor = options.blobsFor ?? (() => clients.blobs);
  /** The row version each listed point was read at, so a batch delete is conditional on it. */
  const listedAt = new WeakMap<RecoveryPoint, string>();
  const listed = (entity: TableEntityResult<PointEntity>): RecoveryPoint => {
    const point = toPoint(entity);
    listedAt.set(point, entity.etag);
    return point;
  };

  const blobs = pointBlobs(blobsFor);

  /** Deletes up to one transaction's worth of listed, unpinned points; undefined when a row changed since it was listed. */
  async function deleteListed(itemKey: string, points: readonly RecoveryPoint[]): Promise<boolean> {
    try {
      await table.submitTransaction(points.map((point) => ['update', { partitionKey: itemKey, rowKey: point.id, deleting: true }, 'Merge', { etag: listedAt.get(point)! }]));
    } catch (error) {
      if (hasStatus(error, 412, 404)) return false;
      throw error;
    }
    await blobs.deleteAll(points);
    try {
      await table.submitTransaction(points.map((point) => ['delete', { partitionKey: itemKey, rowKey: point.id }]));
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
      // One was deleted meanwhile (a concurrent prune): the rest one by one.
      for (const point of points) await deleteRow(itemKey, point.id);
    }
    return true;
  }

  async function deletePoint(itemKey: string, pointId: string): Promise<DeleteOutcome> {
    let entity = await read(itemKey, pointId);
    for (;;) {
      if (!entity) return 'missing';
      if ((JSON.parse(entity.pinnedBy || '[]') as string[]).length > 0) return 'pinned';
      if (entity.deleting) break;
      try {
        await table.updateEntity({ ...entity, deleting: true }, 'Replace', { etag: entity.etag });
        break;
      } catch (error) {
        if (!hasStatus(error, 412, 404)) throw error;
        entity = await read(itemKey, pointId);
      }
    }
    const point = toPoint(entity);
    for (const blob of blobs.of(point)) {
      try {
        await blob.deleteIfExists();
      } catch (error) {
        if (!hasStatus(error, 404)) throw error;
      }
    }
    await deleteRow(itemKey, pointId);
    return 'deleted';
  }

  async function deleteRow(itemKey: string, pointId: string): Promise<void> {
    try {
      await table.deleteEntity(itemKey, pointId);
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
    }
  }

  async function read(itemKey: string, pointId: string): Promise<TableEntityResult<PointEntity> | undefined> {
    assertItemKey(itemKey);
    if (!/^[0-9A-Za-z_-]{1,100}$/.test(pointId)) return undefined;
    try {
      return await table.getEntity<PointEntity>(itemKey, pointId);
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** Conditional read-modify-write of a point row; undefined when missing or being deleted. */
  async function update(itemKey: string, pointId: string, change: (entity: PointEntity) => PointEntity): Promise<PointEntity | undefined> {
    for (;;) {
      const entity = await read(itemKey, pointId);
      if (!entity || entity.deleting) return undefined;
      const next = change({ ...entity });
      try {
        await table.updateEntity(next, 'Replace', { etag: entity.etag });
        return next;
      } catch (error) {
        if (!hasStatus(error, 412, 404)) throw error;
      }
    }
  }

  function list(itemKey: string, listOptions: ListRecoveryPointsOptions = {}): PagedRecoveryPoints {
    assertItemKey(itemKey);
    let filter = odata`PartitionKey eq ${itemKey} and RowKey lt ${'~'}`;
    if (listOptions.olderThan !== undefined) filter += ` and ${odata`RowKey gt ${`${invertedTime(new Date(listOptions.olderThan))}~`}`}`;
    if (listOptions.notBefore !== undefined) filter += ` and ${odata`RowKey lt ${`${invertedTime(new Date(listOptions.notBefore))}~`}`}`;
    if (listOptions.type !== undefined) filter += ` and ${odata`type eq ${listOptions.type}`}`;
    const byPage = (settings: { continuationToken?: string; maxPageSize?: number } = {}): AsyncIterableIterator<RecoveryPointPage> => {
      const pages = table.listEntities<PointEntity>({ queryOptions: { filter } }).byPage(settings);
      return (async function* () {
        for await (const page of pages) {
          const points: RecoveryPointPage = page.filter((entity) => !entity.deleting).map(listed);
          points.continuationToken = page.continuationToken;
          yield points;
        }
      })();
    };
    const all = (async function* () {
      for await (const page of byPage()) yield* page;
    })();
    return Object.assign(all, { byPage });
  }

  async function first(iterator: PagedRecoveryPoints): Promise<RecoveryPoint | undefined> {
    for await (const point of iterator) {
      await iterator.return?.();
      return point;
    }
    return undefined;
  }

  return {
    table,
    async ensure() {
      try {
        await table.createTable();
      } catch (error) {
        if (!hasStatus(error, 409)) throw error;
      }
    },

    async add(point) {
      assertItemKey(point.itemKey);
      try {
        await table.createEntity(toEntity(point));
        return point;
      } catch (error) {
        if (!hasStatus(error, 409)) throw error;
        const existing = await read(point.itemKey, point.id);
        return existing ? toPoint(existing) : point;
      }
    },

    async get(itemKey, pointId) {
      const entity = await read(itemKey, pointId);
      return entity && !entity.deleting ? toPoint(entity) : undefined;
    },

    list,
    latest: (itemKey) => first(list(itemKey)),
    latestApplicationConsistent: (itemKey) => first(list(itemKey, { type: 'ApplicationConsistent' })),

    async pin(itemKey, pointId, by) {
      const entity = await update(itemKey, pointId, (e) => {
        const pins = new Set(JSON.parse(e.pinnedBy || '[]') as string[]).add(by);
        return { ...e, pinnedBy: JSON.stringify([...pins]) };
      });
      return entity && toPoint(entity);
    },

    async unpin(itemKey, pointId, by) {
      const entity = await update(itemKey, pointId, (e) => {
        const pins = (JSON.parse(e.pinnedBy || '[]') as string[]).filter((p) => p !== by);
        return { ...e, pinnedBy: JSON.stringify(pins) };
      });
      return entity && toPoint(entity);
    },

    delete: deletePoint,

    async deleteMany(itemKey, points) {
      assertItemKey(itemKey);
      const outcomes = new Map<string, DeleteOutcome>();
      const batchable = points.filter((point) => listedAt.has(point) && !point.pinnedBy?.length);
      for (let i = 0; i < batchable.length; i += TABLE_BATCH) {
        const group = batchable.slice(i, i + TABLE_BATCH);
        if (await deleteListed(itemKey, group)) for (const point of group) outcomes.set(point.id, 'deleted');
      }
      // Pinned when listed, not listed here, or changed since: one by one, each read afresh.
      for (const point of points) if (!outcomes.has(point.id)) outcomes.set(point.id, await deletePoint(itemKey, point.id));
      return outcomes;
    },

    async getPruneWatermark(itemKey) {
      assertItemKey(itemKey);
      try {
        return (await table.getEntity<{ time: string }>(itemKey, WATERMARK_ROW)).time;
      } catch (error) {
        if (hasStatus(error, 404)) return undefined;
        throw error;
      }
    },

    async setPruneWatermark(itemKey, time) {
      assertItemKey(itemKey);
      await table.upsertEntity({ partitionKey: itemKey, rowKey: WATERMARK_ROW, time }, 'Replace');
    },

    async deleteItemRows(itemKey, maxRows = 200) {
      assertItemKey(itemKey);
      let deleted = 0;
      for await (const entity of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${itemKey}`, select: ['RowKey'] } })) {
        if (deleted >= maxRows) return { done: false };
        try {
          await table.deleteEntity(itemKey, entity.rowKey!);
        } catch (error) {
          if (!hasStatus(error, 404)) throw error;
        }
        deleted++;
      }
      return { done: true };
    },
  };
}
