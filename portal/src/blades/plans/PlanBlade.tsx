/**
 * A recovery plan: its groups in the order they run (shutdown, failover, boot groups), each group's
 * VMs with their state and its start and end actions, the plan's actions, its current operation and
 * last drill.
 */
import { useState } from 'preact/hooks';
import { listItems } from '../../api/items.js';
import { getPlan } from '../../api/plans.js';
import { itemRefOf, lastNameOf, planPath, vaultPath, type VaultRef } from '../../api/resourcePaths.js';
import type { PlanAction, PlanGroup, ProtectedItem } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Notice, type StartedAction } from '../../components/Notice.js';
import { PropertyList } from '../../components/PropertyList.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatTime } from '../../format/time.js';
import { words } from '../../format/words.js';
import { usePolling } from '../../hooks/usePolling.js';
import { stateOf } from '../../model/itemFields.js';
import { hrefOf } from '../../routing/navigation.js';
import { Link } from '../../routing/Link.js';
import { PlanActions } from './PlanActions.js';

function actionText(action: PlanAction): string {
  const details = action.customDetails ?? {};
  const kind = details.instanceType === 'AutomationRunbookActionDetails' ? `runbook ${details.runbookId ?? ''}` : details.instanceType === 'ScriptActionDetails' ? `script ${details.path ?? ''}` : 'manual';
  return `${action.actionName ?? 'Action'} (${kind}; ${(action.failoverTypes ?? []).map(words).join(', ')})`;
}

function Actions(props: { title: string; actions: readonly PlanAction[] | undefined }) {
  if (!props.actions?.length) return null;
  return (
    <div>
      <span class="label">{props.title}:</span>
      <ul class="plain">
        {props.actions.map((action, index) => (
          <li key={`${action.actionName ?? ''}-${index}`}>{actionText(action)}</li>
        ))}
      </ul>
    </div>
  );
}

function Group(props: { vault: VaultRef; group: PlanGroup; index: number; items: ReadonlyMap<string, ProtectedItem> }) {
  const vms = props.group.replicationProtectedItems ?? [];
  const boot = props.group.groupType === 'Boot';
  return (
    <li class="plan-group">
      <h3>{boot ? `Group ${props.index}: Boot` : words(props.group.groupType)}</h3>
      <Actions title="Start actions" actions={props.group.startGroupActions} />
      {vms.length > 0 ? (
        <ul class="plain">
          {vms.map((vm) => {
            const ref = itemRefOf(vm.id ?? '');
            const item = props.items.get((vm.id ?? '').toLowerCase());
            return (
              <li key={vm.id}>
                {ref ? <Link href={hrefOf({ kind: 'item', vault: props.vault, item: ref })}>{ref.item}</Link> : vm.id} {item ? <span class="muted">{stateOf(item)}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p class="muted">No VMs in this group.</p>
      )}
      <Actions title="End actions" actions={props.group.endGroupActions} />
    </li>
  );
}

export function PlanBlade(props: { vault: VaultRef; plan: string }) {
  const plan = usePolling(() => getPlan(props.vault, props.plan), planPath(props.vault, props.plan));
  const items = usePolling(() => listItems(props.vault), vaultPath(props.vault));
  const [started, setStarted] = useState<StartedAction | undefined>(undefined);
  const byId = new Map((items.data ?? []).map((item) => [item.id.toLowerCase(), item]));
  const data = plan.data;
  const p = data?.properties;
  const groups = p?.groups ?? [];
  const firstVm = groups.flatMap((group) => group.replicationProtectedItems ?? [])[0];
  const direction = byId.get((firstVm?.id ?? '').toLowerCase())?.properties.activeLocation === 'Recovery' ? 'RecoveryToPrimary' : 'PrimaryToRecovery';
  const scenarioJob = lastNameOf(p?.currentScenario?.jobId);
  let bootIndex = 0;
  return (
    <section>
      <p class="breadcrumb">
        <Link href={hrefOf({ kind: 'blade', vault: props.vault, blade: 'plans' })}>Recovery plans</Link> › {props.plan}
      </p>
      <h1 id="blade-title" tabIndex={-1}>
        {p?.friendlyName ?? props.plan}
      </h1>
      <Notice vault={props.vault} started={started} onDismiss={() => setStarted(undefined)} />
      <ErrorMessage error={plan.error} retry={plan.refresh} />
      <ErrorMessage error={items.error} retry={items.refresh} />
      {plan.loading ? <p class="muted">Loading…</p> : null}
      {data && p ? (
        <>
          <PlanActions
            vault={props.vault}
            plan={data}
            direction={direction}
            onStarted={(action) => {
              setStarted(action);
              plan.refresh();
            }}
          />
          <PropertyList
            entries={[
              ['Source', p.primaryFabricFriendlyName],
              ['Target', p.recoveryFabricFriendlyName],
              [
                'Current operation',
                p.currentScenario && scenarioJob ? (
                  <>
                    <Link href={hrefOf({ kind: 'job', vault: props.vault, job: scenarioJob })}>{words(p.currentScenario.scenarioName)}</Link> <StatusBadge value={p.currentScenarioStatus} />
                  </>
                ) : (
                  'None'
                ),
              ],
              ['Last test failover', formatTime(p.lastTestFailoverTime) || 'Never'],
              ['Last planned failover', formatTime(p.lastPlannedFailoverTime)],
              ['Last failover', formatTime(p.lastUnplannedFailoverTime)],
            ]}
          />
          <h2>Groups</h2>
          <ol class="plan-groups">
            {groups.map((group, index) => (
              <Group key={`${group.groupType ?? ''}-${index}`} vault={props.vault} group={group} index={group.groupType === 'Boot' ? ++bootIndex : 0} items={byId} />
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
