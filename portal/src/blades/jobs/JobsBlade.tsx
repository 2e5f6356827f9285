/** The vault's jobs, filtered by state and start time (by the service) and by operation (here), newest first. */
import { useState } from 'preact/hooks';
import { listJobs } from '../../api/jobs.js';
import { vaultPath, type VaultRef } from '../../api/resourcePaths.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { JobTable } from '../../components/JobTable.js';
import { words } from '../../format/words.js';
import { usePolling } from '../../hooks/usePolling.js';
import { jobFilterOf, type JobQuery } from '../../model/jobView.js';

const STATES = ['InProgress', 'Succeeded', 'Failed', 'Cancelled', 'Suspended', 'NotStarted'];
const WINDOWS: ReadonlyArray<{ hours: number; label: string }> = [
  { hours: 1, label: 'Last hour' },
  { hours: 24, label: 'Last 24 hours' },
  { hours: 24 * 7, label: 'Last 7 days' },
  { hours: 24 * 30, label: 'Last 30 days' },
  { hours: 0, label: 'Any time' },
];

export function JobsBlade(props: { vault: VaultRef }) {
  const [query, setQuery] = useState<JobQuery>({ state: '', withinHours: 24 });
  const [operation, setOperation] = useState('');
  const jobs = usePolling(() => listJobs(props.vault, jobFilterOf(query)), `${vaultPath(props.vault)}|${query.state}|${query.withinHours}`);
  const all = jobs.data ?? [];
  const operations = [...new Set(all.map((job) => job.properties.scenarioName ?? ''))].filter(Boolean).sort();
  const shown = operation ? all.filter((job) => job.properties.scenarioName === operation) : all;
  return (
    <section>
      <h1 id="blade-title" tabIndex={-1}>
        Jobs
      </h1>
      <div class="toolbar" role="search">
        <label>
          Status
          <select value={query.state} onChange={(event) => setQuery({ ...query, state: event.currentTarget.value })}>
            <option value="">All</option>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {words(state)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Operation
          <select value={operation} onChange={(event) => setOperation(event.currentTarget.value)}>
            <option value="">All</option>
            {[...new Set([...operations, ...(operation ? [operation] : [])])].map((name) => (
              <option key={name} value={name}>
                {words(name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Started
          <select value={String(query.withinHours)} onChange={(event) => setQuery({ ...query, withinHours: Number(event.currentTarget.value) })}>
            {WINDOWS.map((window) => (
              <option key={window.hours} value={String(window.hours)}>
                {window.label}
              </option>
            ))}
          </select>
        </label>
        <span class="muted">{jobs.data ? `${shown.length} jobs` : ''}</span>
      </div>
      <ErrorMessage error={jobs.error} retry={jobs.refresh} />
      {jobs.loading ? <p class="muted">Loading…</p> : <JobTable vault={props.vault} jobs={shown} empty="No job matches." />}
    </section>
  );
}
