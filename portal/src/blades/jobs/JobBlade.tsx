/** A job: what it is for, its state, its tasks with their progress, its errors, and its actions. */
import { getJob } from '../../api/jobs.js';
import { itemRefOf, jobPath, lastNameOf, type VaultRef } from '../../api/resourcePaths.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PropertyList } from '../../components/PropertyList.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatDuration, formatTime } from '../../format/time.js';
import { usePolling } from '../../hooks/usePolling.js';
import { hrefOf } from '../../routing/navigation.js';
import { Link } from '../../routing/Link.js';
import { JobActions } from './JobActions.js';
import { JobErrors } from './JobErrors.js';
import { JobTasks } from './JobTasks.js';

/** A link to the job's resource when the console has a blade for it (an item or a plan). */
function TargetLink(props: { vault: VaultRef; id: string | undefined; name: string | undefined }) {
  const id = props.id ?? '';
  const item = itemRefOf(id);
  if (item) return <Link href={hrefOf({ kind: 'item', vault: props.vault, item })}>{props.name ?? item.item}</Link>;
  const plan = /\/replicationRecoveryPlans\//i.test(id) ? lastNameOf(id) : undefined;
  if (plan) return <Link href={hrefOf({ kind: 'plan', vault: props.vault, plan })}>{props.name ?? plan}</Link>;
  return <>{props.name ?? id}</>;
}

export function JobBlade(props: { vault: VaultRef; job: string }) {
  const job = usePolling(() => getJob(props.vault, props.job), jobPath(props.vault, props.job));
  const data = job.data;
  const p = data?.properties;
  return (
    <section>
      <p class="breadcrumb">
        <Link href={hrefOf({ kind: 'blade', vault: props.vault, blade: 'jobs' })}>Jobs</Link> › {props.job}
      </p>
      <h1 id="blade-title" tabIndex={-1}>
        {p?.friendlyName ?? 'Job'} {p ? <StatusBadge value={p.state} /> : null}
      </h1>
      <ErrorMessage error={job.error} retry={job.refresh} />
      {job.loading ? <p class="muted">Loading…</p> : null}
      {data && p ? (
        <>
          <JobActions vault={props.vault} job={data} onDone={job.refresh} />
          <PropertyList
            entries={[
              ['Status', p.state],
              ['Status description', p.stateDescription !== p.state ? p.stateDescription : ''],
              ['Operation', p.scenarioName],
              ['Resource', <TargetLink vault={props.vault} id={p.targetObjectId} name={p.targetObjectName} />],
              ['Resource type', p.targetInstanceType],
              ['Started', formatTime(p.startTime)],
              ['Ended', formatTime(p.endTime)],
              ['Duration', formatDuration(p.startTime, p.endTime)],
              ['Job id', data.name],
            ]}
          />
          <JobErrors job={data} />
          <h2>Tasks</h2>
          <JobTasks tasks={p.tasks} />
        </>
      ) : null}
    </section>
  );
}
