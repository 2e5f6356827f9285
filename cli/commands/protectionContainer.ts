/** `sr protection-container list|show`: each fabric's container (created with the fabric). */
import { type Command } from 'commander';
import { collect, group, verb, withSession, type CliIo } from '../command.js';
import type { Column } from '../output.js';

const COLUMNS: Column[] = [
  { header: 'Name', value: (c) => c.name },
  { header: 'Fabric', value: (c) => (c.properties as { fabricFriendlyName?: string } | undefined)?.fabricFriendlyName },
  { header: 'ProtectedItems', value: (c) => (c.properties as { protectedItemCount?: number } | undefined)?.protectedItemCount },
  { header: 'Pairing', value: (c) => (c.properties as { pairingStatus?: string } | undefined)?.pairingStatus },
];

export function protectionContainerCommand(io: CliIo): Command {
  return group('protection-container', 'Protection containers.')
    .addCommand(
      verb('list', "List the containers of a fabric (or, without --fabric-name, of the vault).")
        .option('--fabric-name <name>', 'the fabric')
        .action(
          withSession<{ fabricName?: string }>(io, async (s, o) => {
            const { replicationProtectionContainers: containers } = s.clients.siteRecovery;
            s.print(await collect(o.fabricName ? containers.listByReplicationFabrics(s.vault(), s.resourceGroup(), o.fabricName) : containers.list(s.vault(), s.resourceGroup())), COLUMNS);
          }),
        ),
    )
    .addCommand(
      verb('show', 'Show a protection container.')
        .requiredOption('--fabric-name <name>', 'the fabric')
        .requiredOption('--name <name>', 'the protection container')
        .action(
          withSession<{ fabricName: string; name: string }>(io, async (s, o) =>
            s.print(await s.clients.siteRecovery.replicationProtectionContainers.get(s.vault(), s.resourceGroup(), o.fabricName, o.name), COLUMNS),
          ),
        ),
    );
}
