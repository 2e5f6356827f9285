/** `sr recovery-point list|show`: an item's recovery points, newest first. */
import { type Command } from 'commander';
import { collect, group, itemFlags, verb, withSession, type CliIo, type ItemOptions } from '../command.js';
import type { Column } from '../output.js';

const COLUMNS: Column[] = [
  { header: 'Name', value: (p) => p.name },
  { header: 'Time', value: (p) => (p.properties as { recoveryPointTime?: string } | undefined)?.recoveryPointTime },
  { header: 'Type', value: (p) => (p.properties as { recoveryPointType?: string } | undefined)?.recoveryPointType },
];

export function recoveryPointCommand(io: CliIo): Command {
  const item = (c: Command): Command => itemFlags(c);
  return group('recovery-point', "A replicated item's recovery points.")
    .addCommand(
      item(verb('list', "List the item's recovery points.")).action(
        withSession<ItemOptions>(io, async (s, o) => {
          s.print(await collect(s.clients.siteRecovery.recoveryPoints.listByReplicationProtectedItems(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name)), COLUMNS);
        }),
      ),
    )
    .addCommand(
      item(verb('show', 'Show one recovery point.'))
        .requiredOption('--recovery-point <name>', 'the recovery point')
        .action(
          withSession<ItemOptions & { recoveryPoint: string }>(io, async (s, o) => {
            s.print(await s.clients.siteRecovery.recoveryPoints.get(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, o.recoveryPoint), COLUMNS);
          }),
        ),
    );
}
