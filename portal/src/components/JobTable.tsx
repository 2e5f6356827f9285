/** A list of jobs: operation (a link to the job), the resource, state, start and duration. */
import type { VaultRef } from '../api/resourcePaths.js';
import type { Job } from '../api/types.js';
import { formatDuration, formatTime } from '../format/time.js';
import { hrefOf } from '../routing/navigation.js';
import { Link } from '../routing/Link.js';
import { StatusBadge } from './StatusBadge.js';

export function JobTable(props: { vault: VaultRef; jobs: readonly Job[]; empty?: string }) {
  if (props.jobs.length === 0) return <p class="empty">{props.empty ?? 'No jobs.'}</p>;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">Operation</th>
          <th scope="col">Resource</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {props.jobs.map((job) => (
          <tr key={job.name} data-job={job.name}>
            <td>
              <Link href={hrefOf({ kind: 'job', vault: props.vault, job: job.name })}>{job.properties.friendlyName ?? job.properties.scenarioName ?? job.name}</Link>
            </td>
            <td>{job.properties.targetObjectName}</td>
            <td>
              <StatusBadge value={job.properties.state} />
            </td>
            <td class="time">{formatTime(job.properties.startTime)}</td>
            <td>{formatDuration(job.properties.startTime, job.properties.endTime)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
