/** The vault's recovery plans: source and target, VMs, what they allow now, the last drill. */
import { listPlans } from '../../api/plans.js';
import { vaultPath, type VaultRef } from '../../api/resourcePaths.js';
import type { RecoveryPlan } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatTime } from '../../format/time.js';
import { words } from '../../format/words.js';
import { usePolling } from '../../hooks/usePolling.js';
import { hrefOf } from '../../routing/navigation.js';
import { Link } from '../../routing/Link.js';

export const vmCountOf = (plan: RecoveryPlan): number => (plan.properties.groups ?? []).reduce((count, group) => count + (group.replicationProtectedItems?.length ?? 0), 0);

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
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Source</th>
              <th scope="col">Target</th>
              <th scope="col">VMs</th>
              <th scope="col">Current operation</th>
              <th scope="col">Last test failover</th>
            </tr>
          </thead>
          <tbody>
            {plans.data.map((plan) => (
              <tr key={plan.id}>
                <td>
                  <Link href={hrefOf({ kind: 'plan', vault: props.vault, plan: plan.name })}>{plan.properties.friendlyName ?? plan.name}</Link>
                </td>
                <td>{plan.properties.primaryFabricFriendlyName}</td>
                <td>{plan.properties.recoveryFabricFriendlyName}</td>
                <td>{vmCountOf(plan)}</td>
                <td>{plan.properties.currentScenario ? `${words(plan.properties.currentScenario.scenarioName)} (${words(plan.properties.currentScenarioStatus)})` : ''}</td>
                <td class="time">{formatTime(plan.properties.lastTestFailoverTime) || 'Never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
