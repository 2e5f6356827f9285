/**
 * The vault's infrastructure: sites (fabrics) with their health and hosts (the Recovery Services
 * providers: connection and last heartbeat), replication policies, protection container mappings,
 * and the sites' networks and network mappings when there are any.
 */
import { listContainerMappings, listFabrics, listNetworkMappings, listNetworks, listPolicies, listProviders } from '../api/infrastructure.js';
import { vaultPath, type VaultRef } from '../api/resourcePaths.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { HealthErrors } from '../components/HealthErrors.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatAgo, formatSeconds, formatTime } from '../format/time.js';
import { usePolling } from '../hooks/usePolling.js';

function SitesSection(props: { vault: VaultRef; pollKey: string }) {
  const fabrics = usePolling(() => listFabrics(props.vault), props.pollKey);
  const providers = usePolling(() => listProviders(props.vault), props.pollKey);
  return (
    <section aria-labelledby="sites-title">
      <h2 id="sites-title">Sites</h2>
      <ErrorMessage error={fabrics.error} retry={fabrics.refresh} />
      <ErrorMessage error={providers.error} retry={providers.refresh} />
      {(fabrics.data ?? []).map((fabric) => {
        const hosts = (providers.data ?? []).filter((provider) => provider.properties.fabricFriendlyName === fabric.name);
        const type = fabric.properties.customDetails?.instanceType;
        return (
          <article key={fabric.id} class="site">
            <h3>
              {fabric.properties.friendlyName ?? fabric.name} <span class="muted">{type === 'HyperVSite' ? 'Hyper-V site' : type === 'Azure' ? 'Recovery site' : type}</span> <StatusBadge value={fabric.properties.health} />
            </h3>
            <HealthErrors errors={fabric.properties.healthErrorDetails} />
            {hosts.length > 0 ? (
              <table class="grid compact">
                <thead>
                  <tr>
                    <th scope="col">Host</th>
                    <th scope="col">Connection</th>
                    <th scope="col">Last heartbeat</th>
                    <th scope="col">Protected VMs</th>
                    <th scope="col">Provider version</th>
                  </tr>
                </thead>
                <tbody>
                  {hosts.map((host) => (
                    <tr key={host.id}>
                      <td>{host.properties.friendlyName ?? host.name}</td>
                      <td>
                        <StatusBadge value={host.properties.connectionStatus} />
                      </td>
                      <td>
                        {formatTime(host.properties.lastHeartBeat)} <span class="muted">{formatAgo(host.properties.lastHeartBeat)}</span>
                      </td>
                      <td>{host.properties.protectedItemCount ?? ''}</td>
                      <td>
                        {host.properties.providerVersion} <span class="muted">{host.properties.providerVersionState}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : type === 'HyperVSite' ? (
              <p class="muted">No host has reported to this site yet.</p>
            ) : null}
          </article>
        );
      })}
      {fabrics.data && fabrics.data.length === 0 ? <p class="empty">No sites yet.</p> : null}
    </section>
  );
}

function PoliciesSection(props: { vault: VaultRef; pollKey: string }) {
  const policies = usePolling(() => listPolicies(props.vault), props.pollKey);
  const mappings = usePolling(() => listContainerMappings(props.vault), props.pollKey);
  return (
    <>
      <section aria-labelledby="policies-title">
        <h2 id="policies-title">Replication policies</h2>
        <ErrorMessage error={policies.error} retry={policies.refresh} />
        {policies.data && policies.data.length === 0 ? <p class="empty">No policies yet.</p> : null}
        {policies.data && policies.data.length > 0 ? (
          <table class="grid compact">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Copy frequency</th>
                <th scope="col">Retention</th>
                <th scope="col">App-consistent snapshots</th>
              </tr>
            </thead>
            <tbody>
              {policies.data.map((policy) => {
                const details = policy.properties.providerSpecificDetails ?? {};
                const appHours = details.applicationConsistentSnapshotFrequencyInHours;
                return (
                  <tr key={policy.id}>
                    <td>{policy.properties.friendlyName ?? policy.name}</td>
                    <td>{formatSeconds(details.replicationInterval)}</td>
                    <td>{details.recoveryPointHistoryDurationInHours === undefined ? '' : `${details.recoveryPointHistoryDurationInHours} h`}</td>
                    <td>{appHours ? `every ${appHours} h` : 'Off'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </section>
      <section aria-labelledby="mappings-title">
        <h2 id="mappings-title">Protection container mappings</h2>
        <ErrorMessage error={mappings.error} retry={mappings.refresh} />
        {mappings.data && mappings.data.length === 0 ? <p class="empty">No mappings yet.</p> : null}
        {mappings.data && mappings.data.length > 0 ? (
          <table class="grid compact">
            <thead>
              <tr>
                <th scope="col">Mapping</th>
                <th scope="col">Source</th>
                <th scope="col">Target</th>
                <th scope="col">Policy</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {mappings.data.map((mapping) => (
                <tr key={mapping.id}>
                  <td>{mapping.name}</td>
                  <td>
                    {mapping.properties.sourceFabricFriendlyName} / {mapping.properties.sourceProtectionContainerFriendlyName}
                  </td>
                  <td>
                    {mapping.properties.targetFabricFriendlyName} / {mapping.properties.targetProtectionContainerFriendlyName}
                  </td>
                  <td>{mapping.properties.policyFriendlyName}</td>
                  <td>
                    {mapping.properties.state} <StatusBadge value={mapping.properties.health} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}

function NetworksSection(props: { vault: VaultRef; pollKey: string }) {
  const networks = usePolling(() => listNetworks(props.vault), props.pollKey);
  const mappings = usePolling(() => listNetworkMappings(props.vault), props.pollKey);
  if (!networks.error && !mappings.error && (networks.data ?? []).length === 0 && (mappings.data ?? []).length === 0) return null;
  return (
    <section aria-labelledby="networks-title">
      <h2 id="networks-title">Networks</h2>
      <ErrorMessage error={networks.error} retry={networks.refresh} />
      <ErrorMessage error={mappings.error} retry={mappings.refresh} />
      {(networks.data ?? []).length > 0 ? (
        <table class="grid compact">
          <thead>
            <tr>
              <th scope="col">Network</th>
              <th scope="col">Site</th>
              <th scope="col">Subnets</th>
            </tr>
          </thead>
          <tbody>
            {(networks.data ?? []).map((network) => (
              <tr key={network.id}>
                <td>{network.properties.friendlyName ?? network.name}</td>
                <td>{network.id.split('/replicationFabrics/')[1]?.split('/')[0] ?? ''}</td>
                <td>{(network.properties.subnets ?? []).map((subnet) => `${subnet.friendlyName ?? subnet.name ?? ''} ${(subnet.addressList ?? []).join(', ')}`.trim()).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {(mappings.data ?? []).length > 0 ? (
        <>
          <h3>Network mappings</h3>
          <table class="grid compact">
            <thead>
              <tr>
                <th scope="col">Mapping</th>
                <th scope="col">Source network</th>
                <th scope="col">Recovery network</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {(mappings.data ?? []).map((mapping) => (
                <tr key={mapping.id}>
                  <td>{mapping.name}</td>
                  <td>
                    {mapping.properties.primaryNetworkFriendlyName} <span class="muted">{mapping.properties.primaryFabricFriendlyName}</span>
                  </td>
                  <td>
                    {mapping.properties.recoveryNetworkFriendlyName} <span class="muted">{mapping.properties.recoveryFabricFriendlyName ?? mapping.properties.recoveryFabricName}</span>
                  </td>
                  <td>{mapping.properties.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

export function InfrastructureBlade(props: { vault: VaultRef }) {
  const pollKey = vaultPath(props.vault);
  return (
    <section>
      <h1 id="blade-title" tabIndex={-1}>
        Infrastructure
      </h1>
      <SitesSection vault={props.vault} pollKey={pollKey} />
      <PoliciesSection vault={props.vault} pollKey={pollKey} />
      <NetworksSection vault={props.vault} pollKey={pollKey} />
    </section>
  );
}
