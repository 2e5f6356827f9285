/**
 * The control-plane repository in memory, with the Table repository's contract: ETag-conditional
 * writes that fail with `ConcurrencyError`, create failing on a duplicate, idempotent delete,
 * atomic transactions, key-ordered lists.
 */
import { ConcurrencyError } from '../../../shared/errors/ConcurrencyError.js';
import { rowKeyOf, type ControlPlaneRepository, type RowAction, type StoredRow } from '../../../shared/repos/ControlPlaneRepository.js';
import { escapeKey } from '../../../shared/repos/escapeKey.js';

interface Entry {
  kind: string;
  json: string;
  etag: number;
}

export function createMemoryRepository(): ControlPlaneRepository {
  const partitions = new Map<string, Map<string, Entry>>();
  let version = 0;
  const rowsOf = (partition: string): Map<string, Entry> => {
    let rows = partitions.get(partition);
    if (!rows) partitions.set(partition, (rows = new Map()));
    return rows;
  };
  const toRow = <T>(partition: string, rowKey: string, entry: Entry): StoredRow<T> => ({ partition, kind: entry.kind, rowKey, value: JSON.parse(entry.json) as T, etag: String(entry.etag) });
  const write = (partition: string, rowKey: string, kind: string, value: unknown): Entry => {
    const entry = { kind, json: JSON.stringify(value), etag: ++version };
    rowsOf(partition).set(rowKey, entry);
    return entry;
  };
  const inRange = (rowKey: string, kind: string, prefix: readonly string[] = []): boolean => rowKey.startsWith(`${[kind, ...prefix.map(escapeKey)].join('|')}|`);
  /** Checks one action against the current rows; throws the conflict it would meet. */
  const check = (partition: string, action: RowAction): void => {
    const rows = rowsOf(partition);
    switch (action.action) {
      case 'create':
        if (rows.has(rowKeyOf(action.kind, action.name))) throw new ConcurrencyError('exists', `The ${action.kind} already exists.`);
        return;
      case 'replace': {
        const current = rows.get(rowKeyOf(action.kind, action.name));
        if (!current) throw new ConcurrencyError('missing', `The ${action.kind} no longer exists.`);
        if (String(current.etag) !== action.etag) throw new ConcurrencyError('changed', `The ${action.kind} was changed by another writer.`);
        return;
      }
      case 'touch': {
        const current = rows.get(action.row.rowKey);
        if (!current || String(current.etag) !== action.row.etag) throw new ConcurrencyError('changed', `The ${action.row.kind} was changed by another writer.`);
        return;
      }
      default:
        return;
    }
  };

  const repository: ControlPlaneRepository = {
    async get<T>(partition: string, kind: string, name: string | readonly string[]) {
      const rowKey = rowKeyOf(kind, name);
      const entry = rowsOf(partition).get(rowKey);
      return entry ? toRow<T>(partition, rowKey, entry) : undefined;
    },
    async create(partition, kind, name, value) {
      check(partition, { action: 'create', kind, name, value });
      const rowKey = rowKeyOf(kind, name);
      return toRow(partition, rowKey, write(partition, rowKey, kind, value));
    },
    async replace(row, value) {
      const current = rowsOf(row.partition).get(row.rowKey);
      if (!current) throw new ConcurrencyError('missing', `The ${row.kind} no longer exists.`);
      if (String(current.etag) !== row.etag) throw new ConcurrencyError('changed', `The ${row.kind} was changed by another writer.`);
      return toRow(row.partition, row.rowKey, write(row.partition, row.rowKey, row.kind, value));
    },
    async update<T>(partition: string, kind: string, name: string | readonly string[], mutate: (value: T) => T | undefined) {
      for (;;) {
        const row = await repository.get<T>(partition, kind, name);
        if (!row) return undefined;
        const next = mutate(structuredClone(row.value));
        if (next === undefined) return row;
        try {
          return await repository.replace(row, next);
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          if (error.reason === 'missing') return undefined;
        }
      }
    },
    async upsert(partition, kind, name, value) {
      const rowKey = rowKeyOf(kind, name);
      return toRow(partition, rowKey, write(partition, rowKey, kind, value));
    },
    async delete(partition, kind, name, etag) {
      const rowKey = rowKeyOf(kind, name);
      const current = rowsOf(partition).get(rowKey);
      if (etag && (!current || String(current.etag) !== etag)) throw new ConcurrencyError('changed', `The ${kind} was changed by another writer.`);
      rowsOf(partition).delete(rowKey);
    },
    async deleteRow(row) {
      const current = rowsOf(row.partition).get(row.rowKey);
      if (!current) return;
      if (String(current.etag) !== row.etag) throw new ConcurrencyError('changed', `The ${row.kind} was changed by another writer.`);
      rowsOf(row.partition).delete(row.rowKey);
    },
    async list<T>(partition: string, kind: string, options: { prefix?: readonly string[] } = {}) {
      const rows = [...rowsOf(partition)].filter(([rowKey]) => inRange(rowKey, kind, options.prefix)).sort(([a], [b]) => a.localeCompare(b));
      return { rows: rows.map(([rowKey, entry]) => toRow<T>(partition, rowKey, entry)) };
    },
    async *listAll<T>(partition: string, kind: string, options: { prefix?: readonly string[] } = {}) {
      yield* (await repository.list<T>(partition, kind, options)).rows;
    },
    async *listEveryPartition<T>(kind: string) {
      for (const [partition, rows] of partitions) {
        for (const [rowKey, entry] of rows) if (inRange(rowKey, kind)) yield toRow<T>(partition, rowKey, entry);
      }
    },
    async transact(partition, actions) {
      for (const action of actions) check(partition, action);
      for (const action of actions) {
        if (action.action === 'delete') rowsOf(partition).delete(rowKeyOf(action.kind, action.name));
        else if (action.action === 'touch') write(partition, action.row.rowKey, action.row.kind, action.row.value);
        else write(partition, rowKeyOf(action.kind, action.name), action.kind, action.value);
      }
    },
    async deletePartition(partition) {
      partitions.delete(partition);
    },
  };
  return repository;
}
