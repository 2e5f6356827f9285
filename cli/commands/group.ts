/** `sr group create|show|delete`: the resource group a vault lives in (`az group`). */
import { type Command } from 'commander';
import { group, verb, withSession, type CliIo } from '../command.js';

const API = '2021-04-01';

export function groupCommand(io: CliIo): Command {
  const path = (subscription: string, name: string): string => `/subscriptions/${subscription}/resourcegroups/${encodeURIComponent(name)}`;
  return group('group', 'Resource groups.')
    .addCommand(
      verb('create', 'Create (or update) a resource group.')
        .requiredOption('-n, --name <name>', 'the resource group')
        .option('-l, --location <location>', 'its location', 'local')
        .action(withSession<{ name: string; location: string }>(io, async (s, o) => s.print(await s.call('PUT', path(s.subscription, o.name), API, { location: o.location })))),
    )
    .addCommand(
      verb('show', 'Show a resource group.')
        .requiredOption('-n, --name <name>', 'the resource group')
        .action(withSession<{ name: string }>(io, async (s, o) => s.print(await s.call('GET', path(s.subscription, o.name), API)))),
    )
    .addCommand(
      verb('delete', 'Delete an empty resource group.')
        .requiredOption('-n, --name <name>', 'the resource group')
        .action(withSession<{ name: string }>(io, async (s, o) => void (await s.call('DELETE', path(s.subscription, o.name), API)))),
    );
}
