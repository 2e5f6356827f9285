/** `sr protection-container-mapping create|show|list|delete`: which policy protects a site's VMs to which recovery site. */
import { type Command } from 'commander';
import { collect, containerFlags, group, noWait, verb, withSession, type CliIo, type ContainerOptions } from '../command.js';
import { nothing, runOperation, type WaitOption } from '../operation.js';
import type { Column } from '../output.js';

const COLUMNS: Column[] = [
  { header: 'Name', value: (m) => m.name },
  { header: 'Source', value: (m) => (m.properties as { sourceProtectionContainerFriendlyName?: string } | undefined)?.sourceProtectionContainerFriendlyName },
  { header: 'Target', value: (m) => (m.properties as { targetProtectionContainerFriendlyName?: string } | undefined)?.targetProtectionContainerFriendlyName },
  { header: 'Policy', value: (m) => (m.properties as { policyFriendlyName?: string } | undefined)?.policyFriendlyName },
  { header: 'State', value: (m) => (m.properties as { state?: string } | undefined)?.state },
];

interface CreateFlags extends ContainerOptions, WaitOption {
  name: string;
  policy: string;
  targetProtectionContainer: string;
  targetFabricName?: string;
}

export function mappingCommand(io: CliIo): Command {
  return group('protection-container-mapping', 'Container mappings: protect a site\'s VMs with a policy to a recovery site.')
    .addCommand(
      noWait(
        containerFlags(verb('create', 'Map a Hyper-V site\'s container to a recovery site\'s with a policy.'))
          .requiredOption('--name <name>', 'the mapping')
          .requiredOption('--policy <name-or-id>', 'the replication policy')
          .option('--target-protection-container <name-or-id>', "the recovery site's container (\"Microsoft Azure\": the vault's recovery site)", 'Microsoft Azure')
          .option('--target-fabric-name <name>', 'the recovery site, when --target-protection-container is a name'),
      ).action(
        withSession<CreateFlags>(io, async (s, o) => {
          const { replicationProtectionContainerMappings: mappings } = s.clients.siteRecovery;
          const policyId = o.policy.startsWith('/') ? o.policy : `${s.vaultId()}/replicationPolicies/${o.policy}`;
          const target =
            o.targetProtectionContainer.startsWith('/') || !o.targetFabricName
              ? o.targetProtectionContainer
              : `${s.vaultId()}/replicationFabrics/${o.targetFabricName}/replicationProtectionContainers/${o.targetProtectionContainer}`;
          await runOperation(
            s,
            o,
            (options) => mappings.beginCreate(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, { properties: { targetProtectionContainerId: target, policyId } }, options),
            () => mappings.get(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name),
            COLUMNS,
          );
        }),
      ),
    )
    .addCommand(
      containerFlags(verb('show', 'Show a mapping.'))
        .requiredOption('--name <name>', 'the mapping')
        .action(
          withSession<ContainerOptions & { name: string }>(io, async (s, o) =>
            s.print(await s.clients.siteRecovery.replicationProtectionContainerMappings.get(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name), COLUMNS),
          ),
        ),
    )
    .addCommand(
      containerFlags(verb('list', "List a container's mappings (or, without the container flags, the vault's)."), false).action(
        withSession<Partial<ContainerOptions>>(io, async (s, o) => {
          const { replicationProtectionContainerMappings: mappings } = s.clients.siteRecovery;
          const pages = o.fabricName && o.protectionContainer ? mappings.listByReplicationProtectionContainers(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer) : mappings.list(s.vault(), s.resourceGroup());
          s.print(await collect(pages), COLUMNS);
        }),
      ),
    )
    .addCommand(
      noWait(containerFlags(verb('delete', 'Remove a mapping (refused while items are protected under it).')).requiredOption('--name <name>', 'the mapping')).action(
        withSession<ContainerOptions & { name: string } & WaitOption>(io, async (s, o) => {
          await runOperation(s, o, (options) =>
            s.clients.siteRecovery.replicationProtectionContainerMappings.beginDelete(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, { properties: {} }, options),
            nothing,
          );
        }),
      ),
    );
}
