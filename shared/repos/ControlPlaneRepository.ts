import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { odata, RestError, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { RowTooLargeError } from '../errors/RowTooLargeError.js';
import { escapeKey } from './escapeKey.js';

/** A row's name: one string, or the parts of a composite name (e.g. fabric, container, mapping). */
export type RowName = string | readonly string[];

/** A stored row: its keys, the JSON value and the ETag to write it back conditionally. */
export interface StoredRow<T> {
  partition: string;
  kind: string;
  rowKey: string;
  value: T;
  etag: string;
}

/** One write of an atomic `transact` (all rows of one partition). */
export type RowAction =
  | { action: 'create'; kind: string; name: RowName; value: unknown }
  | { action: 'replace'; kind: string; name: RowName; value: unknown; etag: string }
  | { action: 'upsert'; kind: string; name: RowName; value: unknown }
  /** Unconditional inside a transaction (the Table batch API takes no ETag for deletes). */
  | { action: 'delete'; kind: string; name: RowName }
  /**
   * Rewrites a row read earlier unchanged, if its ETag still matches: makes the transaction
   * depend on that row (e.g. a mapping's create fails if its policy was meanwhile marked for
   * deletion, and the deletion fails if a mapping was created meanwhile).
   */
  | { action: 'touch'; row: StoredRow<unknown> };

/** Options of a paged list. */
export interface ListRowsOptions {
  /** Only rows whose composite name starts with these parts. */
  prefix?: readonly string[];
  continuationToken?: string;
  /** Rows per page (default 100, at most 1000). */
  pageSize?: number;
}

/** One page of rows. */
export interface RowPage<T> {
  rows: StoredRow<T>[];
  continuationToken?: string;
}

/** Rows of all control-plane resources, one table, one partition per vault; every write conditional. */
export interface ControlPlaneRepository {
  /** The row, or `undefined` when missing. */
  get<T>(partition: string, kind: string, name: RowName): Promise<StoredRow<T> | undefined>;
  /** Creates the row; `ConcurrencyError('exists')` when it already exists. */
  create<T>(partition: string, kind: string, name: RowName, value: T): Promise<StoredRow<T>>;
  /** Replaces the row if its ETag still matches; `ConcurrencyError('changed' | 'missing')` otherwise. */
  replace<T>(row: StoredRow<unknown>, value: T): Promise<StoredRow<T>>;
  /**
   * Read-modify-write: applies `mutate` to the current value and writes it with its ETag,
   * re-reading and re-applying on a lost race (up to `attempts`). `undefined` when the row is
   * missing; `mutate` returning `undefined` leaves the row unchanged.
   */
  update<T>(partition: string, kind: string, name: RowName, mutate: (value: T) => T | undefined, attempts?: number): Promise<StoredRow<T> | undefined>;
  /** Creates or overwrites the row unconditionally (for rows with a single writer, e.g. reports). */
  upsert<T>(partition: string, kind: string, name: RowName, value: T): Promise<StoredRow<T>>;
  /** Deletes the row (ETag-conditional when given); succeeds when already missing unless an ETag was given. */
  delete(partition: string, kind: string, name: RowName, etag?: string): Promise<void>;
  /** Deletes a row read earlier if its ETag still matches; succeeds when already gone. */
  deleteRow(row: StoredRow<unknown>): Promise<void>;
  /** One page of the rows of a kind in a partition, in key order. */
  list<T>(partition: string, kind: string, options?: ListRowsOptions): Promise<RowPage<T>>;
  /** All rows of a kind in a partition, page by page. */
  listAll<T>(partition: string, kind: string, options?: Omit<ListRowsOptions, 'continuationToken'>): AsyncIterable<StoredRow<T>>;
  /** Every row of a kind in every partition (for timers that sweep all vaults), page by page. */
  listEveryPartition<T>(kind: string): AsyncIterable<StoredRow<T>>;
  /** Writes up to 100 rows of one partition atomically; the first conflict fails all as `ConcurrencyError`. */
  transact(partition: string, actions: readonly RowAction[]): Promise<void>;
  /** Deletes every row of a partition (e.g. a deleted vault's), in batches. */
  deletePartition(partition: string): Promise<void>;
}

const CHUNK = 30_000;
/** A Table entity holds 1 MiB, strings counted as UTF-16: at most 15 chunks of 30 000 characters. */
const MAX_CHUNKS = 15;
/** A value past this many characters of JSON is stored gzipped (base64): a Hyper-V host's report of 1 000 VMs is ~1 M characters. */
const COMPRESS_ABOVE = 4 * CHUNK;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/** The RowKey of a row: `kind|part|part…`, each part escaped. */
export function rowKeyOf(kind: string, name: RowName): string {
  if (!KIND.test(kind)) throw new TypeError(`Invalid row kind ${JSON.stringify(kind)}`);
  const parts = typeof name === 'string' ? [name] : name;
  return [kind, ...parts.map(escapeKey)].join('|');
}

/**
 * Every write stamps the row with a new `writeId`. When storage carried a write out but its answer
 * was lost, the client's retry of it meets its own write — 409 for a create, 412 for a replace — and
 * the stamp tells that apart from another writer's: the write landed, and succeeds.
 */
function toEntity(partition: string, kind: string, name: RowName, value: unknown): TableEntity<Record<string, unknown>> {
  const json = JSON.stringify(value);
  const gzipped = json.length > COMPRESS_ABOVE;
  const data = gzipped ? gzipSync(json).toString('base64') : json;
  const chunks = Math.max(1, Math.ceil(data.length / CHUNK));
  if (chunks > MAX_CHUNKS) throw new RowTooLargeError(kind, json.length);
  const entity: TableEntity<Record<string, unknown>> = { partitionKey: partition, rowKey: rowKeyOf(kind, name), kind, chunks, writeId: randomUUID(), ...(gzipped ? { encoding: 'gzip' } : {}) };
  for (let i = 0; i < chunks; i += 1) entity[`data${i}`] = data.slice(i * CHUNK, (i + 1) * CHUNK);
  return entity;
}

function fromEntity<T>(entity: Record<string, unknown>): StoredRow<T> {
  const chunks = Number(entity.chunks ?? 1);
  let data = '';
  for (let i = 0; i < chunks; i += 1) {
    const part = entity[`data${i}`];
    data += typeof part === 'string' ? part : '';
  }
  const json = entity.encoding === 'gzip' ? gunzipSync(Buffer.from(data, 'base64')).toString('utf8') : data;
  return {
    partition: String(entity.partitionKey),
    kind: String(entity.kind),
    rowKey: String(entity.rowKey),
    value: JSON.parse(json) as T,
    etag: String(entity.etag),
  };
}

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError || (error instanceof Error && error.name === 'RestError') ? (error as RestError).statusCode : undefined;
}

function toConcurrencyError(error: unknown, what: string): unknown {
  switch (statusOf(error)) {
    case 409:
      return new ConcurrencyError('exists', `${what} already exists.`);
    case 412:
      return new ConcurrencyError('changed', `${what} was changed by another writer.`);
    case 404:
      return new ConcurrencyError('missing', `${what} no longer exists.`);
    default:
      return error;
  }
}

/** Builds the repository on one table (created on first use). */
export function createControlPlaneRepository(table: TableClient): ControlPlaneRepository {
  let ready: Promise<void> | undefined;
  const ensureTable = (): Promise<void> => {
    ready ??= table.createTable().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };

  const rangeFilter = (partition: string, kind: string, prefix: readonly string[] = []): string => {
    const base = [kind, ...prefix.map(escapeKey)].join('|');
    return odata`PartitionKey eq ${partition} and RowKey ge ${`${base}|`} and RowKey lt ${`${base}}`}`;
  };

  /**
   * The row's etag when `entity`'s write is the one stored (its answer was lost), else undefined.
   * A failure to tell is thrown as it is (a transient error the caller retries), never taken for a conflict.
   */
  const landed = async (entity: TableEntity<Record<string, unknown>>, error: unknown, statuses: readonly number[] = [409, 412]): Promise<string | undefined> => {
    const status = statusOf(error);
    if (status === undefined || !statuses.includes(status)) return undefined;
    try {
      const stored = await table.getEntity<Record<string, unknown>>(entity.partitionKey, entity.rowKey, { queryOptions: { select: ['writeId'] } });
      return stored.writeId === entity.writeId ? String(stored.etag) : undefined;
    } catch (readError) {
      if (statusOf(readError) === 404) return undefined;
      throw readError;
    }
  };

  const repository: ControlPlaneRepository = {
    async get<T>(partition: string, kind: string, name: RowName) {
      await ensureTable();
      try {
        const entity = await table.getEntity<Record<string, unknown>>(partition, rowKeyOf(kind, name));
        return fromEntity<T>(entity);
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },

    async create<T>(partition: string, kind: string, name: RowName, value: T) {
      await ensureTable();
      const entity = toEntity(partition, kind, name, value);
      try {
        const response = await table.createEntity(entity);
        return { partition, kind, rowKey: entity.rowKey, value, etag: String(response.etag) };
      } catch (error) {
        const etag = await landed(entity, error);
        if (etag) return { partition, kind, rowKey: entity.rowKey, value, etag };
        throw toConcurrencyError(error, `The ${kind}`);
      }
    },

    async replace<T>(row: StoredRow<unknown>, value: T) {
      await ensureTable();
      const entity = toEntity(row.partition, row.kind, [], value);
      entity.rowKey = row.rowKey;
      try {
        const response = await table.updateEntity(entity, 'Replace', { etag: row.etag });
        return { partition: row.partition, kind: row.kind, rowKey: row.rowKey, value, etag: String(response.etag) };
      } catch (error) {
        const etag = await landed(entity, error);
        if (etag) return { partition: row.partition, kind: row.kind, rowKey: row.rowKey, value, etag };
        throw toConcurrencyError(error, `The ${row.kind}`);
      }
    },

    async update<T>(partition: string, kind: string, name: RowName, mutate: (value: T) => T | undefined, attempts = 5) {
      for (let attempt = 1; ; attempt += 1) {
        const row = await repository.get<T>(partition, kind, name);
        if (!row) return undefined;
        const next = mutate(structuredClone(row.value));
        if (next === undefined) return row;
        try {
          return await repository.replace(row, next);
        } catch (error) {
          if (!(error instanceof ConcurrencyError) || attempt >= attempts) throw error;
          if (error.reason === 'missing') return undefined;
        }
      }
    },

    async upsert<T>(partition: string, kind: string, name: RowName, value: T) {
      await ensureTable();
      const entity = toEntity(partition, kind, name, value);
      const response = await table.upsertEntity(entity, 'Replace');
      return { partition, kind, rowKey: entity.rowKey, value, etag: String(response.etag) };
    },

    async delete(partition: string, kind: string, name: RowName, etag?: string) {
      await ensureTable();
      try {
        await table.deleteEntity(partition, rowKeyOf(kind, name), etag ? { etag } : undefined);
      } catch (error) {
        if (statusOf(error) === 404 && !etag) return;
        throw toConcurrencyError(error, `The ${kind}`);
      }
    },

    async deleteRow(row: StoredRow<unknown>) {
      await ensureTable();
      try {
        await table.deleteEntity(row.partition, row.rowKey, { etag: row.etag });
      } catch (error) {
        if (statusOf(error) === 404) return;
        throw toConcurrencyError(error, `The ${row.kind}`);
      }
    },

    async list<T>(partition: string, kind: string, options: ListRowsOptions = {}) {
      await ensureTable();
      const pages = table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: rangeFilter(partition, kind, options.prefix) } })
        .byPage({ maxPageSize: Math.min(options.pageSize ?? 100, 1000), continuationToken: options.continuationToken });
      const page = await pages.next();
      if (page.done) return { rows: [] };
      const result: RowPage<T> = { rows: page.value.map((entity) => fromEntity<T>(entity)) };
      if (page.value.continuationToken) result.continuationToken = page.value.continuationToken;
      return result;
    },

    async *listAll<T>(partition: string, kind: string, options: Omit<ListRowsOptions, 'continuationToken'> = {}) {
      let continuationToken: string | undefined;
      do {
        const page: RowPage<T> = await repository.list<T>(partition, kind, { ...options, ...(continuationToken ? { continuationToken } : {}) });
        yield* page.rows;
        continuationToken = page.continuationToken;
      } while (continuationToken);
    },

    async *listEveryPartition<T>(kind: string) {
      await ensureTable();
      const filter = odata`RowKey ge ${`${kind}|`} and RowKey lt ${`${kind}}`}`;
      for await (const entity of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) yield fromEntity<T>(entity);
    },

    async transact(partition: string, actions: readonly RowAction[]) {
      if (actions.length === 0) return;
      if (actions.length > 100) throw new RangeError('A transaction holds at most 100 rows.');
      await ensureTable();
      const tuples: TransactionAction[] = actions.map((item): TransactionAction => {
        switch (item.action) {
          case 'create':
            return ['create', toEntity(partition, item.kind, item.name, item.value)];
          case 'replace':
            return ['update', toEntity(partition, item.kind, item.name, item.value), 'Replace', { etag: item.etag }];
          case 'upsert':
            return ['upsert', toEntity(partition, item.kind, item.name, item.value), 'Replace'];
          case 'delete':
            return ['delete', { partitionKey: partition, rowKey: rowKeyOf(item.kind, item.name) }];
          case 'touch': {
            const entity = toEntity(partition, item.row.kind, [], item.row.value);
            entity.rowKey = item.row.rowKey;
            return ['update', entity, 'Replace', { etag: item.row.etag }];
          }
        }
      });
      try {
        await table.submitTransaction(tuples);
      } catch (error) {
        // A transaction is atomic: if one of its written rows carries its stamp, all of it landed (its
        // retry then meets the rows it created, changed or deleted: 409, 412 or 404).
        for (const [action, entity] of tuples) {
          if (action !== 'delete' && entity.writeId !== undefined && (await landed(entity, error, [404, 409, 412]))) return;
        }
        throw toConcurrencyError(error, 'A row of the transaction');
      }
    },

    async deletePartition(partition: string) {
      await ensureTable();
      const pages = table
        .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partition}`, select: ['PartitionKey', 'RowKey'] } })
        .byPage({ maxPageSize: 100 });
      const keys: string[] = [];
      for await (const page of pages) keys.push(...page.map((entity) => String(entity.rowKey)));
      for (let i = 0; i < keys.length; i += 100) {
        await table.submitTransaction(keys.slice(i, i + 100).map((rowKey): TransactionAction => ['delete', { partitionKey: partition, rowKey }]));
      }
    },
  };
  return repository;
}
