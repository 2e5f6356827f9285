/** The vault's recovery plans: source and target, VMs, what they allow now, the last drill. */
import { listPlans } from '../../api/plans.js';
import { vaultPath, type VaultRef } from '../../api/resourcePaths.js';
import type { RecoveryPlan } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { SimpleTable, type Column } from '../../components/SimpleTable.js';
import { formatTime } from '../../format/time.js';
import { words } from '../../format/words.js';
import { usePolling } from '../../hooks/usePolling.js';
import { hrefOf } from '../../routing/navigation.js';
import { Link } from '../../routing/Link.js';

export const vmCountOf = (plan: RecoveryPlan): number => (plan.properties.groups ?? []).reduce((count, group) => count + (group.replicationProtectedItems?.length ?? 0), 0);

const planColumns = (vault: VaultRef): Array<Column<RecoveryPlan>> => [
  { header: 'Name', cell: (plan) => <Link href={hrefOf({ kind: 'plan', vault, plan: plan.name })}>{plan.properties.friendlyName ?? plan.name}</Link> },
  { header: 'Source', cell: (plan) => plan.properties.primaryFabricFriendlyName },
  { header: 'Target', cell: (plan) => plan.properties.recoveryFabricFriendlyName },
  { header: 'VMs', cell: (plan) => vmCountOf(plan) },
  { header: 'Current operation', cell: (plan) => (plan.properties.currentScenario ? `${words(plan.properties.currentScenario.scenarioName)} (${words(plan.properties.currentScenarioStatus)})` : '') },
  { header: 'Last test failover', class: 'time', cell: (plan) => formatTime(plan.properties.lastTestFailoverTime) || 'Never' },
];

export function PlansBlade(props: { vault: VaultRef }) {
  const plans = usePolling(() => listPlans(props.vault), vaultPath(props.vault));
  return (
    <section>
      <h1 id="blade-title" tabIndex={-1}>
        Recovery plans
      </h1>
      <ErrorMessage error={plans.error} retry={plans.refresh} />
      {plans.loading ? <p class="muted">Loading…</p> : null}
      {plans.data && plans.data.length === 0 ? <p class="empty">No recovery plans: create one with `sr recovery-plan create` or the API.</p> : null}
      {plans.data && plans.data.length > 0 ? (
        <SimpleTable columns={planColumns(props.vault)} rows={plans.data} rowKey={(plan) => plan.id} />
      ) : null}
    </section>
  );
}
