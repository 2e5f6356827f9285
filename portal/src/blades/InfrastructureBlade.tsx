/**
 * The vault's infrastructure: sites (fabrics) with their health and hosts (the Recovery Services
 * providers: connection and last heartbeat), replication policies, protection container mappings,
 * and the sites' networks and network mappings when there are any.
 */
import { listContainerMappings, listFabrics, listNetworkMappings, listNetworks, listPolicies, listProviders } from '../api/infrastructure.js';
import { vaultPath, type VaultRef } from '../api/resourcePaths.js';
import type { ContainerMapping, Network, NetworkMapping, Policy, RecoveryServicesProvider } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { HealthErrors } from '../components/HealthErrors.js';
import { SimpleTable, type Column } from '../components/SimpleTable.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatAgo, formatSeconds, formatTime } from '../format/time.js';
import { usePolling } from '../hooks/usePolling.js';

const HOST_COLUMNS: Array<Column<RecoveryServicesProvider>> = [
  { header: 'Host', cell: (host) => host.properties.friendlyName ?? host.name },
  { header: 'Connection', cell: (host) => <StatusBadge value={host.properties.connectionStatus} /> },
  {
    header: 'Last heartbeat',
    cell: (host) => (
      <>
        {formatTime(host.properties.lastHeartBeat)} <span class="muted">{formatAgo(host.properties.lastHeartBeat)}</span>
      </>
    ),
  },
  { header: 'Protected VMs', cell: (host) => host.properties.protectedItemCount ?? '' },
  {
    header: 'Provider version',
    cell: (host) => (
      <>
        {host.properties.providerVersion} <span class="muted">{host.properties.providerVersionState}</span>
      </>
    ),
  },
];

const detailsOf = (policy: Policy) => policy.properties.providerSpecificDetails ?? {};

const POLICY_COLUMNS: Array<Column<Policy>> = [
  { header: 'Policy', cell: (policy) => policy.properties.friendlyName ?? policy.name },
  { header: 'Copy frequency', cell: (policy) => formatSeconds(detailsOf(policy).replicationInterval) },
  {
    header: 'Retention',
    cell: (policy) => (detailsOf(policy).recoveryPointHistoryDurationInHours === undefined ? '' : `${detailsOf(policy).recoveryPointHistoryDurationInHours} h`),
  },
  {
    header: 'App-consistent snapshots',
    cell: (policy) => {
      const appHours = detailsOf(policy).applicationConsistentSnapshotFrequencyInHours;
      return appHours ? `every ${appHours} h` : 'Off';
    },
  },
];

const CONTAINER_MAPPING_COLUMNS: Array<Column<ContainerMapping>> = [
  { header: 'Mapping', cell: (mapping) => mapping.name },
  { header: 'Source', cell: (mapping) => `${mapping.properties.sourceFabricFriendlyName ?? ''} / ${mapping.properties.sourceProtectionContainerFriendlyName ?? ''}` },
  { header: 'Target', cell: (mapping) => `${mapping.properties.targetFabricFriendlyName ?? ''} / ${mapping.properties.targetProtectionContainerFriendlyName ?? ''}` },
  { header: 'Policy', cell: (mapping) => mapping.properties.policyFriendlyName },
  {
    header: 'State',
    cell: (mapping) => (
      <>
        {mapping.properties.state} <StatusBadge value={mapping.properties.health} />
      </>
    ),
  },
];

const NETWORK_COLUMNS: Array<Column<Network>> = [
  { header: 'Network', cell: (network) => network.properties.friendlyName ?? network.name },
  { header: 'Site', cell: (network) => network.id.split('/replicationFabrics/')[1]?.split('/')[0] ?? '' },
  { header: 'Subnets', cell: (network) => (network.properties.subnets ?? []).map((subnet) => `${subnet.friendlyName ?? subnet.name ?? ''} ${(subnet.addressList ?? []).join(', ')}`.trim()).join('; ') },
];

const NETWORK_MAPPING_COLUMNS: Array<Column<NetworkMapping>> = [
  { header: 'Mapping', cell: (mapping) => mapping.name },
  {
    header: 'Source network',
    cell: (mapping) => (
      <>
        {mapping.properties.primaryNetworkFriendlyName} <span class="muted">{mapping.properties.primaryFabricFriendlyName}</span>
      </>
    ),
  },
  {
    header: 'Recovery network',
    cell: (mapping) => (
      <>
        {mapping.properties.recoveryNetworkFriendlyName} <span class="muted">{mapping.properties.recoveryFabricFriendlyName ?? mapping.properties.recoveryFabricName}</span>
      </>
    ),
  },
  { header: 'State', cell: (mapping) => mapping.properties.state },
];

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
              <SimpleTable compact columns={HOST_COLUMNS} rows={hosts} rowKey={(host) => host.id} />
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
          <SimpleTable compact columns={POLICY_COLUMNS} rows={policies.data} rowKey={(policy) => policy.id} />
        ) : null}
      </section>
      <section aria-labelledby="mappings-title">
        <h2 id="mappings-title">Protection container mappings</h2>
        <ErrorMessage error={mappings.error} retry={mappings.refresh} />
        {mappings.data && mappings.data.length === 0 ? <p class="empty">No mappings yet.</p> : null}
        {mappings.data && mappings.data.length > 0 ? (
          <SimpleTable compact columns={CONTAINER_MAPPING_COLUMNS} rows={mappings.data} rowKey={(mapping) => mapping.id} />
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
        <SimpleTable compact columns={NETWORK_COLUMNS} rows={networks.data ?? []} rowKey={(network) => network.id} />
      ) : null}
      {(mappings.data ?? []).length > 0 ? (
        <>
          <h3>Network mappings</h3>
          <SimpleTable compact columns={NETWORK_MAPPING_COLUMNS} rows={mappings.data ?? []} rowKey={(mapping) => mapping.id} />
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
