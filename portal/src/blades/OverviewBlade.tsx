/**
 * The vault's overview: replicated items by replication health and by state, the items whose
 * replication is late (RPO), the jobs in progress and failed in the last 24 hours, and the items
 * whose last successful test failover is older than 180 days (or missing).
 */
import { listItems } from '../api/items.js';
import { listJobs } from '../api/jobs.js';
import { vaultPath, type VaultRef } from '../api/resourcePaths.js';
import type { ProtectedItem } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { JobTable } from '../components/JobTable.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatSeconds, formatTime } from '../format/time.js';
import { usePolling } from '../hooks/usePolling.js';
import { itemNameOf, itemRefOfItem, rpoSecondsOf, TEST_FAILOVER_OVERDUE_DAYS } from '../model/itemFields.js';
import { jobFilterOf } from '../model/jobView.js';
import { overviewOf } from '../model/overview.js';
import { hrefOf } from '../routing/navigation.js';
import { Link } from '../routing/Link.js';

function ItemLinks(props: { vault: VaultRef; items: readonly ProtectedItem[]; empty: string; detail(item: ProtectedItem): string }) {
  if (props.items.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ul class="plain">
      {props.items.map((item) => (
        <li key={item.id}>
          <Link href={hrefOf({ kind: 'item', vault: props.vault, item: itemRefOfItem(item) })}>{itemNameOf(item)}</Link> <span class="muted">{props.detail(item)}</span>
        </li>
      ))}
    </ul>
  );
}

export function OverviewBlade(props: { vault: VaultRef }) {
  const key = vaultPath(props.vault);
  const items = usePolling(() => listItems(props.vault), key);
  const jobs = usePolling(() => listJobs(props.vault, jobFilterOf({ state: '', withinHours: 24 })), key);
  const overview = items.data && jobs.data ? overviewOf(items.data, jobs.data) : undefined;
  return (
    <section>
      <h1 id="blade-title" tabIndex={-1}>
        Overview
      </h1>
      <ErrorMessage error={items.error} retry={items.refresh} />
      <ErrorMessage error={jobs.error} retry={jobs.refresh} />
      {!overview ? <p class="muted">Loading…</p> : null}
      {overview && items.data ? (
        <div class="tiles">
          <section class="tile" aria-labelledby="tile-items">
            <h2 id="tile-items">Replicated items</h2>
            <p class="figure">
              <Link href={hrefOf({ kind: 'blade', vault: props.vault, blade: 'items' })}>{items.data.length}</Link>
            </p>
            <h3>By replication health</h3>
            <ul class="counts">
              {overview.byHealth.map(({ key: health, count }) => (
                <li key={health}>
                  <StatusBadge value={health} /> {count}
                </li>
              ))}
            </ul>
            <h3>By state</h3>
            <ul class="counts">
              {overview.byState.map(({ key: state, count }) => (
                <li key={state}>
                  {state} <strong>{count}</strong>
                </li>
              ))}
            </ul>
          </section>
          <section class="tile" aria-labelledby="tile-rpo">
            <h2 id="tile-rpo">Items breaching RPO</h2>
            <p class="figure">{overview.breachingRpo.length}</p>
            <ItemLinks vault={props.vault} items={overview.breachingRpo} empty="Every item replicates within its policy." detail={(item) => `RPO ${formatSeconds(rpoSecondsOf(item))} (${item.properties.replicationHealth ?? ''})`} />
          </section>
          <section class="tile" aria-labelledby="tile-drills">
            <h2 id="tile-drills">Test failover overdue</h2>
            <p class="figure">{overview.testFailoverOverdue.length}</p>
            <p class="muted">Protected items without a successful test failover in the last {TEST_FAILOVER_OVERDUE_DAYS} days.</p>
            <ItemLinks
              vault={props.vault}
              items={overview.testFailoverOverdue}
              empty="None."
              detail={(item) => (item.properties.lastSuccessfulTestFailoverTime ? `last on ${formatTime(item.properties.lastSuccessfulTestFailoverTime)}` : 'never drilled')}
            />
          </section>
          <section class="tile wide" aria-labelledby="tile-jobs">
            <h2 id="tile-jobs">Jobs in the last 24 hours</h2>
            <p>
              <StatusBadge value="InProgress" text={`${overview.jobsInProgress.length} in progress`} /> <StatusBadge value="Failed" text={`${overview.jobsFailed.length} failed`} />
            </p>
            <JobTable vault={props.vault} jobs={[...overview.jobsInProgress, ...overview.jobsFailed]} empty="No job is running, and none failed." />
          </section>
        </div>
      ) : null}
    </section>
  );
}
