/** A list of jobs: operation (a link to the job), the resource, state, start and duration. */
import type { VaultRef } from '../api/resourcePaths.js';
import type { Job } from '../api/types.js';
import { formatDuration, formatTime } from '../format/time.js';
import { hrefOf } from '../routing/navigation.js';
import { Link } from '../routing/Link.js';
import { SimpleTable, type Column } from './SimpleTable.js';
import { StatusBadge } from './StatusBadge.js';

const jobColumns = (vault: VaultRef): Array<Column<Job>> => [
  { header: 'Operation', cell: (job) => <Link href={hrefOf({ kind: 'job', vault, job: job.name })}>{job.properties.friendlyName ?? job.properties.scenarioName ?? job.name}</Link> },
  { header: 'Resource', cell: (job) => job.properties.targetObjectName },
  { header: 'Status', cell: (job) => <StatusBadge value={job.properties.state} /> },
  { header: 'Started', class: 'time', cell: (job) => formatTime(job.properties.startTime) },
  { header: 'Duration', cell: (job) => formatDuration(job.properties.startTime, job.properties.endTime) },
];

export function JobTable(props: { vault: VaultRef; jobs: readonly Job[]; empty?: string }) {
  if (props.jobs.length === 0) return <p class="empty">{props.empty ?? 'No jobs.'}</p>;
  return <SimpleTable columns={jobColumns(props.vault)} rows={props.jobs} rowKey={(job) => job.name} />;
}
