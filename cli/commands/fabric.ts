/** `sr fabric create|show|list|delete`: a Hyper-V site (source) or a recovery site. */
import { type Command, Option } from 'commander';
import type { FabricSpecificCreationInputUnion } from '@azure/arm-recoveryservices-siterecovery';
import { collect, group, noWait, verb, withSession, type CliIo } from '../command.js';
import { nothing, runOperation, type WaitOption } from '../operation.js';
import type { Column } from '../output.js';

const COLUMNS: Column[] = [
  { header: 'Name', value: (f) => f.name },
  { header: 'Type', value: (f) => (f.properties as { customDetails?: { instanceType?: string } } | undefined)?.customDetails?.instanceType },
  { header: 'Health', value: (f) => (f.properties as { health?: string } | undefined)?.health },
];

export function fabricCommand(io: CliIo): Command {
  return group('fabric', 'Sites: the Hyper-V site VMs are protected from, the recovery site they fail over to.')
    .addCommand(
      noWait(
        verb('create', 'Create a fabric (and its protection container).')
          .requiredOption('--name <name>', 'the fabric')
          .addOption(new Option('--type <type>', 'HyperVSite (a source site) or Azure (a recovery site)').choices(['HyperVSite', 'Azure']).default('HyperVSite'))
          .option('-l, --location <location>', 'the recovery site location (--type Azure)', 'local'),
      ).action(
        withSession<{ name: string; type: 'HyperVSite' | 'Azure'; location: string } & WaitOption>(io, async (s, o) => {
          const { replicationFabrics } = s.clients.siteRecovery;
          // The client's models have no Hyper-V site creation input, though ASR takes one (the portal sends it).
          const hyperVSite = { instanceType: 'HyperVSite' } as const;
          const customDetails: FabricSpecificCreationInputUnion = o.type === 'Azure' ? { instanceType: 'Azure', location: o.location } : (hyperVSite as never);
          await runOperation(
            s,
            o,
            (options) => replicationFabrics.beginCreate(s.vault(), s.resourceGroup(), o.name, { properties: { customDetails } }, options),
            () => replicationFabrics.get(s.vault(), s.resourceGroup(), o.name),
            COLUMNS,
          );
        }),
      ),
    )
    .addCommand(
      verb('show', 'Show a fabric.')
        .requiredOption('--name <name>', 'the fabric')
        .action(withSession<{ name: string }>(io, async (s, o) => s.print(await s.clients.siteRecovery.replicationFabrics.get(s.vault(), s.resourceGroup(), o.name), COLUMNS))),
    )
    .addCommand(verb('list', "List the vault's fabrics.").action(withSession(io, async (s) => s.print(await collect(s.clients.siteRecovery.replicationFabrics.list(s.vault(), s.resourceGroup())), COLUMNS))))
    .addCommand(
      noWait(verb('delete', 'Remove a fabric (refused while it has mappings or protected items).').requiredOption('--name <name>', 'the fabric')).action(
        withSession<{ name: string } & WaitOption>(io, async (s, o) => {
          await runOperation(s, o, (options) => s.clients.siteRecovery.replicationFabrics.beginDelete(s.vault(), s.resourceGroup(), o.name, options), nothing);
        }),
      ),
    );
}
