/** `sr vault create|show|list|delete|registration-key` (`az backup vault`). */
import { type Command } from 'commander';
import { collect, group, verb, withSession, type CliIo } from '../command.js';
import type { Column } from '../output.js';

const COLUMNS: Column[] = [
  { header: 'Name', value: (v) => v.name },
  { header: 'Location', value: (v) => v.location },
  { header: 'ResourceGroup', value: (v) => /\/resourceGroups\/([^/]+)/i.exec(String(v.id))?.[1] },
  { header: 'Sku', value: (v) => (v.sku as { name?: string } | undefined)?.name },
];

export function vaultCommand(io: CliIo): Command {
  return group('vault', 'Recovery Services vaults.')
    .addCommand(
      verb('create', 'Create (or update) the vault (--vault) in its resource group.')
        .option('-l, --location <location>', 'its location', 'local')
        .action(
          withSession<{ location: string }>(io, async (s, o) => {
            const vault = await s.clients.recoveryServices.vaults.beginCreateOrUpdateAndWait(s.resourceGroup(), s.vault(), { location: o.location, sku: { name: 'Standard' }, properties: {} }, { updateIntervalInMs: 500 });
            s.print(vault, COLUMNS);
          }),
        ),
    )
    .addCommand(verb('show', 'Show the vault.').action(withSession(io, async (s) => s.print(await s.clients.recoveryServices.vaults.get(s.resourceGroup(), s.vault()), COLUMNS))))
    .addCommand(
      verb('list', 'List the vaults of the resource group (or, with --all, of the subscription).')
        .option('--all', 'every vault of the subscription')
        .action(
          withSession<{ all?: boolean }>(io, async (s, o) => {
            const { vaults } = s.clients.recoveryServices;
            s.print(await collect(o.all ? vaults.listBySubscriptionId() : vaults.listByResourceGroup(s.resourceGroup())), COLUMNS);
          }),
        ),
    )
    .addCommand(verb('delete', 'Delete the vault (refused while it holds anything).').action(withSession(io, async (s) => void (await s.clients.recoveryServices.vaults.beginDeleteAndWait(s.resourceGroup(), s.vault(), { updateIntervalInMs: 500 })))))
    .addCommand(
      verb('registration-key', "The vault's id and the registration key a Hyper-V site's hosts report with.").action(
        withSession(io, async (s) => {
          const { registrationKey } = (await s.call('POST', `${s.vaultId()}/listRegistrationKey`, '2023-06-01')) as { registrationKey: string };
          s.print({ vaultId: s.vaultId(), registrationKey });
        }),
      ),
    );
}
