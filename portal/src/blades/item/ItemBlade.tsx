/**
 * A replicated item: its state and actions, properties and health, recovery points on a timeline
 * (crash- vs application-consistent) with the RPO over the retained window, its disks, its recovery
 * VM's compute and network settings, and its jobs.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getItem, listRecoveryPoints } from '../../api/items.js';
import { listJobs } from '../../api/jobs.js';
import { itemPath, type ItemRef, type VaultRef } from '../../api/resourcePaths.js';
import type { ProtectedItem } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { HealthErrors } from '../../components/HealthErrors.js';
import { JobTable } from '../../components/JobTable.js';
import { Notice, type StartedAction } from '../../components/Notice.js';
import { PropertyList } from '../../components/PropertyList.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatSeconds, formatTime } from '../../format/time.js';
import { plural, words } from '../../format/words.js';
import { usePolling } from '../../hooks/usePolling.js';
import { currentJobNameOf, itemNameOf, lastPointTimeOf, rpoSecondsOf, stateOf, testFailoverStatusOf } from '../../model/itemFields.js';
import { targetFilterOf } from '../../model/jobView.js';
import { isAppConsistent, pointTypeLabel } from '../../model/pointChoice.js';
import { hrefOf } from '../../routing/navigation.js';
import { Link } from '../../routing/Link.js';
import { ItemActions } from './ItemActions.js';
import { ItemDisks } from './ItemDisks.js';
import { ItemSettings } from './ItemSettings.js';
import { RecoveryPointsChart } from './RecoveryPointsChart.js';
import { RpoChart } from './RpoChart.js';

/** Points listed under the timeline (the newest). */
const LISTED_POINTS = 10;
/** Jobs listed (the newest). */
const LISTED_JOBS = 20;

function Essentials(props: { vault: VaultRef; item: ProtectedItem }) {
  const p = props.item.properties;
  const details = p.providerSpecificDetails ?? {};
  const job = currentJobNameOf(props.item);
  return (
    <PropertyList
      entries={[
        ['State', stateOf(props.item)],
        ['Replication health', <StatusBadge value={p.replicationHealth} />],
        ['RPO', formatSeconds(rpoSecondsOf(props.item))],
        ['Last recovery point', formatTime(lastPointTimeOf(props.item))],
        ['Failover health', <StatusBadge value={p.failoverHealth} />],
        ['Test failover', testFailoverStatusOf(props.item)],
        ['Last successful test failover', formatTime(p.lastSuccessfulTestFailoverTime) || 'Never'],
        ['Last successful failover', formatTime(p.lastSuccessfulFailoverTime)],
        ['Active location', p.activeLocation],
        ['Source site', p.primaryFabricFriendlyName],
        ['Recovery site', p.recoveryFabricFriendlyName],
        ['Replication policy', p.policyFriendlyName],
        ['Initial replication', details.initialReplicationDetails?.initialReplicationProgressPercentage ? `${details.initialReplicationDetails.initialReplicationProgressPercentage}%` : ''],
        ['Operating system', details.oSDetails?.osType],
        ['Source VM', details.sourceVmCpuCount ? `${details.sourceVmCpuCount} vCPU, ${details.sourceVmRamSizeInMB ?? '?'} MB memory` : ''],
        ['Current operation', job ? <Link href={hrefOf({ kind: 'job', vault: props.vault, job })}>{words(p.currentScenario?.scenarioName)}</Link> : 'None'],
      ]}
    />
  );
}

export function ItemBlade(props: { vault: VaultRef; item: ItemRef }) {
  const key = itemPath(props.vault, props.item);
  const item = usePolling(() => getItem(props.vault, props.item), key);
  const points = usePolling(() => listRecoveryPoints(props.vault, props.item), key, { enabled: false });
  const jobs = usePolling(() => listJobs(props.vault, targetFilterOf(key)), key);
  const [started, setStarted] = useState<StartedAction | undefined>(undefined);

  // The points are read again when the item reports a new one, and when an operation starts or ends
  // (a commit deletes points), not on every poll.
  const lastPoint = item.data ? (lastPointTimeOf(item.data) ?? '') : undefined;
  const scenario = item.data?.properties.currentScenario?.jobId;
  useEffect(() => {
    if (lastPoint !== undefined) points.refresh();
  }, [lastPoint, scenario]);
  const pointsReadAt = useMemo(() => Date.now(), [points.data]);

  const onStarted = (action: StartedAction): void => {
    setStarted(action);
    item.refresh();
    jobs.refresh();
  };

  const data = item.data;
  const allPoints = points.data ?? [];
  const appCount = allPoints.filter(isAppConsistent).length;
  return (
    <section>
      <p class="breadcrumb">
        <Link href={hrefOf({ kind: 'blade', vault: props.vault, blade: 'items' })}>Replicated items</Link> › {props.item.item}
      </p>
      <h1 id="blade-title" tabIndex={-1}>
        {data ? itemNameOf(data) : props.item.item} {data ? <StatusBadge value={data.properties.protectionState} text={stateOf(data)} /> : null}
      </h1>
      <Notice vault={props.vault} started={started} onDismiss={() => setStarted(undefined)} />
      <ErrorMessage error={item.error} retry={item.refresh} />
      {item.loading ? <p class="muted">Loading…</p> : null}
      {data ? (
        <>
          <ItemActions vault={props.vault} itemRef={props.item} item={data} points={points.data} onStarted={onStarted} />
          <h2>Essentials</h2>
          <Essentials vault={props.vault} item={data} />
          <HealthErrors errors={data.properties.healthErrors} />

          <h2 id="points-title">Recovery points</h2>
          <ErrorMessage error={points.error} retry={points.refresh} />
          {points.data ? (
            <>
              <p class="muted">
                {plural(allPoints.length, 'recovery point')} retained: {allPoints.length - appCount} crash-consistent, {appCount} app-consistent.
              </p>
              {allPoints.length > 0 ? <RecoveryPointsChart points={allPoints} /> : null}
              <table class="grid compact" aria-labelledby="points-title">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Type</th>
                  </tr>
                </thead>
                <tbody>
                  {allPoints.slice(0, LISTED_POINTS).map((point) => (
                    <tr key={point.id}>
                      <td class="time">{formatTime(point.properties.recoveryPointTime)}</td>
                      <td>{pointTypeLabel(point)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>RPO over the retained window</h2>
              {allPoints.length > 0 ? <RpoChart points={allPoints} nowMs={pointsReadAt} /> : <p class="empty">No recovery point yet.</p>}
            </>
          ) : (
            <p class="muted">Loading…</p>
          )}

          <h2>Disks</h2>
          <ItemDisks disks={data.properties.providerSpecificDetails?.azureVmDiskDetails} />

          <h2>Compute and network</h2>
          <ItemSettings key={data.id} vault={props.vault} itemRef={props.item} item={data} onStarted={onStarted} />

          <h2>Jobs</h2>
          <ErrorMessage error={jobs.error} retry={jobs.refresh} />
          {jobs.data ? <JobTable vault={props.vault} jobs={jobs.data.slice(0, LISTED_JOBS)} empty="No jobs for this item." /> : null}
        </>
      ) : null}
    </section>
  );
}
