/** `sr event list|show`: what happened in the vault (health changes, failovers, drills), newest first. */
import { type Command, Option } from 'commander';
import type { Event } from '@azure/arm-recoveryservices-siterecovery';
import { collect, group, verb, withSession, type CliIo } from '../command.js';
import type { Column } from '../output.js';

const COLUMNS: Column[] = [
  { header: 'Time', value: (e) => (e.properties as Event['properties'])?.timeOfOccurrence },
  { header: 'Severity', value: (e) => (e.properties as Event['properties'])?.severity },
  { header: 'Code', value: (e) => (e.properties as Event['properties'])?.eventCode },
  { header: 'Object', value: (e) => (e.properties as Event['properties'])?.affectedObjectFriendlyName },
  { header: 'Description', value: (e) => (e.properties as Event['properties'])?.description },
];

export function eventCommand(io: CliIo): Command {
  return group('event', "The vault's events.")
    .addCommand(
      verb('list', "List the vault's events, newest first.")
        .addOption(new Option('--severity <severity>', 'only events of this severity').choices(['Critical', 'Warning', 'Information', 'OK']))
        .option('--object <name>', 'only events of this item or site')
        .action(
          withSession<{ severity?: string; object?: string }>(io, async (s, o) => {
            const clauses = [...(o.severity ? [`Severity eq '${o.severity}'`] : []), ...(o.object ? [`AffectedObjectFriendlyName eq '${o.object.replace(/'/g, "''")}'`] : [])];
            s.print(await collect(s.clients.siteRecovery.replicationEvents.list(s.vault(), s.resourceGroup(), clauses.length ? { filter: clauses.join(' and ') } : {})), COLUMNS);
          }),
        ),
    )
    .addCommand(
      verb('show', 'Show one event.')
        .requiredOption('--name <event>', 'the event')
        .action(withSession<{ name: string }>(io, async (s, o) => s.print(await s.clients.siteRecovery.replicationEvents.get(s.vault(), s.resourceGroup(), o.name), COLUMNS))),
    );
}
