/** The vault's Site Recovery events, newest first, filtered by severity: what happened, to what, and the errors it carries. */
import { useState } from 'preact/hooks';
import { listEvents } from '../api/events.js';
import { lastNameOf, vaultPath, type VaultRef } from '../api/resourcePaths.js';
import type { SiteRecoveryEvent } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { SimpleTable, type Column } from '../components/SimpleTable.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatTime } from '../format/time.js';
import { words } from '../format/words.js';
import { usePolling } from '../hooks/usePolling.js';
import { hrefOf } from '../routing/navigation.js';
import { Link } from '../routing/Link.js';

const SEVERITIES = ['Critical', 'Warning', 'Information', 'OK'];

/** The job an event is about, when it names one. */
const jobOf = (event: SiteRecoveryEvent): string | undefined =>
  /\/replicationJobs\//i.test(event.properties.affectedObjectCorrelationId ?? '') ? lastNameOf(event.properties.affectedObjectCorrelationId) : undefined;

const eventColumns = (vault: VaultRef): Array<Column<SiteRecoveryEvent>> => [
  { header: 'Time', class: 'time', cell: (event) => formatTime(event.properties.timeOfOccurrence) },
  { header: 'Severity', cell: (event) => <StatusBadge value={event.properties.severity} /> },
  { header: 'Type', cell: (event) => words(event.properties.eventType) },
  {
    header: 'Description',
    cell: (event) => (
      <>
        {event.properties.description}
        {(event.properties.healthErrors ?? []).map((error, index) => (
          <div key={index} class="muted">
            {error.errorCode}: {error.errorMessage}
            {error.recommendedAction ? ` Recommended action: ${error.recommendedAction}` : ''}
          </div>
        ))}
      </>
    ),
  },
  {
    header: 'Affected object',
    cell: (event) => {
      const job = jobOf(event);
      return job ? <Link href={hrefOf({ kind: 'job', vault, job })}>{event.properties.affectedObjectFriendlyName ?? job}</Link> : event.properties.affectedObjectFriendlyName;
    },
  },
];

export function EventsBlade(props: { vault: VaultRef }) {
  const [severity, setSeverity] = useState('');
  const events = usePolling(() => listEvents(props.vault, severity ? `severity eq '${severity}'` : undefined), `${vaultPath(props.vault)}|${severity}`);
  return (
    <section>
      <h1 id="blade-title" tabIndex={-1}>
        Events
      </h1>
      <div class="toolbar" role="search">
        <label>
          Severity
          <select value={severity} onChange={(event) => setSeverity(event.currentTarget.value)}>
            <option value="">All</option>
            {SEVERITIES.map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={events.error} retry={events.refresh} />
      {events.loading ? <p class="muted">Loading…</p> : null}
      {events.data && events.data.length === 0 ? <p class="empty">No events.</p> : null}
      {events.data && events.data.length > 0 ? (
        <SimpleTable columns={eventColumns(props.vault)} rows={events.data} rowKey={(event) => event.name} />
      ) : null}
    </section>
  );
}
