/** The replicated items list: its columns, how each sorts, and the filter. Pure. */
import type { ProtectedItem } from '../api/types.js';
import { itemNameOf, lastPointTimeOf, rpoSecondsOf, stateOf, testFailoverStatusOf } from './itemFields.js';

export type ItemColumn = 'name' | 'source' | 'state' | 'health' | 'rpo' | 'active' | 'lastPoint' | 'testFailover';

export const ITEM_COLUMNS: ReadonlyArray<{ key: ItemColumn; label: string }> = [
  { key: 'name', label: 'Name' },
  { key: 'source', label: 'Source site' },
  { key: 'state', label: 'State' },
  { key: 'health', label: 'Replication health' },
  { key: 'rpo', label: 'RPO' },
  { key: 'active', label: 'Active location' },
  { key: 'lastPoint', label: 'Last recovery point' },
  { key: 'testFailover', label: 'Test failover' },
];

const HEALTH_ORDER: Readonly<Record<string, number>> = { Critical: 0, Warning: 1, Normal: 2 };

function sortValue(item: ProtectedItem, column: ItemColumn): string | number {
  const p = item.properties;
  switch (column) {
    case 'name':
      return itemNameOf(item).toLowerCase();
    case 'source':
      return (p.primaryFabricFriendlyName ?? '').toLowerCase();
    case 'state':
      return stateOf(item).toLowerCase();
    case 'health':
      return HEALTH_ORDER[p.replicationHealth ?? ''] ?? 3;
    case 'rpo':
      return rpoSecondsOf(item) ?? Number.POSITIVE_INFINITY;
    case 'active':
      return (p.activeLocation ?? '').toLowerCase();
    case 'lastPoint':
      return lastPointTimeOf(item) ?? '';
    case 'testFailover':
      return testFailoverStatusOf(item).toLowerCase();
  }
}

export interface ItemFilter {
  /** Part of the name, any case. */
  text: string;
  /** A replication health, or '' for any. */
  health: string;
  /** A state as shown, or '' for any. */
  state: string;
}

export function filterItems(items: readonly ProtectedItem[], filter: ItemFilter): ProtectedItem[] {
  const text = filter.text.trim().toLowerCase();
  return items.filter(
    (item) =>
      (!text || itemNameOf(item).toLowerCase().includes(text)) &&
      (!filter.health || item.properties.replicationHealth === filter.health) &&
      (!filter.state || stateOf(item) === filter.state),
  );
}

export function sortItems(items: readonly ProtectedItem[], column: ItemColumn, descending: boolean): ProtectedItem[] {
  const direction = descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = sortValue(a, column);
    const y = sortValue(b, column);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return order === 0 ? itemNameOf(a).localeCompare(itemNameOf(b)) : order * direction;
  });
}
