/** The vault's Site Recovery events, newest first, filtered by severity: what happened, to what, and the errors it carries. */
import { useState } from 'preact/hooks';
import { listEvents } from '../api/events.js';
import { lastNameOf, vaultPath, type VaultRef } from '../api/resourcePaths.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatTime } from '../format/time.js';
import { words } from '../format/words.js';
import { usePolling } from '../hooks/usePolling.js';
import { hrefOf } from '../routing/navigation.js';
import { Link } from '../routing/Link.js';

const SEVERITIES = ['Critical', 'Warning', 'Information', 'OK'];

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
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Severity</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
              <th scope="col">Affected object</th>
            </tr>
          </thead>
          <tbody>
            {events.data.map((event) => {
              const p = event.properties;
              const job = /\/replicationJobs\//i.test(p.affectedObjectCorrelationId ?? '') ? lastNameOf(p.affectedObjectCorrelationId) : undefined;
              return (
                <tr key={event.name}>
                  <td class="time">{formatTime(p.timeOfOccurrence)}</td>
                  <td>
                    <StatusBadge value={p.severity} />
                  </td>
                  <td>{words(p.eventType)}</td>
                  <td>
                    {p.description}
                    {(p.healthErrors ?? []).map((error, index) => (
                      <div key={index} class="muted">
                        {error.errorCode}: {error.errorMessage}
                        {error.recommendedAction ? ` Recommended action: ${error.recommendedAction}` : ''}
                      </div>
                    ))}
                  </td>
                  <td>{job ? <Link href={hrefOf({ kind: 'job', vault: props.vault, job })}>{p.affectedObjectFriendlyName ?? job}</Link> : p.affectedObjectFriendlyName}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
