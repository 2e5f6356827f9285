/**
 * Replicated items: name, source site, state, replication health, RPO, active location, last
 * recovery point and test failover status; filtered by name, health and state, sorted by any column
 * (its header is a button); a row's name opens the item.
 */
import { useState } from 'preact/hooks';
import { listItems } from '../api/items.js';
import { vaultPath, type VaultRef } from '../api/resourcePaths.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatSeconds, formatTime } from '../format/time.js';
import { usePolling } from '../hooks/usePolling.js';
import { itemNameOf, itemRefOfItem, lastPointTimeOf, rpoSecondsOf, stateOf, testFailoverStatusOf } from '../model/itemFields.js';
import { filterItems, ITEM_COLUMNS, sortItems, type ItemColumn, type ItemFilter } from '../model/itemTable.js';
import { hrefOf } from '../routing/navigation.js';
import { Link } from '../routing/Link.js';

export function ItemsBlade(props: { vault: VaultRef }) {
  const items = usePolling(() => listItems(props.vault), vaultPath(props.vault));
  const [filter, setFilter] = useState<ItemFilter>({ text: '', health: '', state: '' });
  const [sort, setSort] = useState<{ column: ItemColumn; descending: boolean }>({ column: 'name', descending: false });
  const all = items.data ?? [];
  const shown = sortItems(filterItems(all, filter), sort.column, sort.descending);
  const states = [...new Set(all.map(stateOf))].sort();
  const sortBy = (column: ItemColumn): void => setSort((current) => ({ column, descending: current.column === column ? !current.descending : false }));

  return (
    <section>
      <h1 id="blade-title" tabIndex={-1}>
        Replicated items
      </h1>
      <div class="toolbar" role="search">
        <label>
          Name
          <input type="search" value={filter.text} placeholder="Filter by name" onInput={(event) => setFilter({ ...filter, text: event.currentTarget.value })} />
        </label>
        <label>
          Replication health
          <select value={filter.health} onChange={(event) => setFilter({ ...filter, health: event.currentTarget.value })}>
            <option value="">All</option>
            <option>Normal</option>
            <option>Warning</option>
            <option>Critical</option>
          </select>
        </label>
        <label>
          State
          <select value={filter.state} onChange={(event) => setFilter({ ...filter, state: event.currentTarget.value })}>
            <option value="">All</option>
            {states.map((state) => (
              <option key={state}>{state}</option>
            ))}
          </select>
        </label>
        <span class="muted">
          {shown.length} of {all.length}
        </span>
      </div>
      <ErrorMessage error={items.error} retry={items.refresh} />
      {items.loading ? <p class="muted">Loading…</p> : null}
      {items.data && all.length === 0 ? <p class="empty">No replicated items yet: enable replication of a VM with sr or the API.</p> : null}
      {all.length > 0 ? (
        <table class="grid" aria-label="Replicated items">
          <thead>
            <tr>
              {ITEM_COLUMNS.map(({ key, label }) => (
                <th key={key} scope="col" aria-sort={sort.column === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" class="sort" onClick={() => sortBy(key)}>
                    {label}
                    <span aria-hidden="true">{sort.column === key ? (sort.descending ? ' ▾' : ' ▴') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <tr key={item.id} data-item={item.name}>
                <td>
                  <Link href={hrefOf({ kind: 'item', vault: props.vault, item: itemRefOfItem(item) })}>{itemNameOf(item)}</Link>
                </td>
                <td>{item.properties.primaryFabricFriendlyName}</td>
                <td>{stateOf(item)}</td>
                <td>
                  <StatusBadge value={item.properties.replicationHealth} />
                </td>
                <td>{formatSeconds(rpoSecondsOf(item))}</td>
                <td>{item.properties.activeLocation}</td>
                <td class="time">{formatTime(lastPointTimeOf(item))}</td>
                <td>{testFailoverStatusOf(item)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
