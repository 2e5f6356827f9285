/**
 * The subscription's Recovery Services vaults. With exactly one, the console opens it at once (on
 * the first page load only, so the list stays reachable).
 */
import { useEffect, useState } from 'preact/hooks';
import { vaultRefOf } from '../api/resourcePaths.js';
import { listVaults } from '../api/vaults.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { usePolling } from '../hooks/usePolling.js';
import { hrefOf, navigate } from '../routing/navigation.js';
import { Link } from '../routing/Link.js';
import { rememberSubscription, subscriptionId } from '../settings.js';

let opened = false;

export function VaultsBlade() {
  const [subscription, setSubscription] = useState(subscriptionId);
  const [draft, setDraft] = useState(subscription);
  const vaults = usePolling(() => listVaults(subscription), subscription);

  useEffect(() => {
    const only = vaults.data?.length === 1 ? vaults.data[0] : undefined;
    const ref = only ? vaultRefOf(only.id) : undefined;
    if (!opened && ref) navigate(hrefOf({ kind: 'blade', vault: ref, blade: 'overview' }), { replace: true });
    if (vaults.data) opened = true;
  }, [vaults.data]);

  const choose = (event: Event): void => {
    event.preventDefault();
    const id = draft.trim();
    if (!id) return;
    rememberSubscription(id);
    setSubscription(id);
  };

  return (
    <section>
      <h1 id="blade-title" tabIndex={-1}>
        Recovery Services vaults
      </h1>
      <form class="toolbar" onSubmit={choose}>
        <label>
          Subscription
          <input value={draft} size={40} onInput={(event) => setDraft(event.currentTarget.value)} />
        </label>
        <button type="submit">Show its vaults</button>
      </form>
      <ErrorMessage error={vaults.error} retry={vaults.refresh} />
      {vaults.loading ? <p class="muted">Loading…</p> : null}
      {vaults.data && vaults.data.length === 0 ? <p class="empty">This subscription has no vaults.</p> : null}
      {vaults.data && vaults.data.length > 0 ? (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Resource group</th>
              <th scope="col">Location</th>
            </tr>
          </thead>
          <tbody>
            {vaults.data.map((vault) => {
              const ref = vaultRefOf(vault.id);
              return (
                <tr key={vault.id}>
                  <td>{ref ? <Link href={hrefOf({ kind: 'blade', vault: ref, blade: 'overview' })}>{vault.name}</Link> : vault.name}</td>
                  <td>{ref?.resourceGroup}</td>
                  <td>{vault.location}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
