/** `sr config set|get|unset|list`: defaults for the global flags, kept in the user's config directory. */
import { type Command } from 'commander';
import { CONFIG_KEYS, configPath, isConfigKey, readConfig, writeConfig, type ConfigKey } from '../config.js';
import { UsageError } from '../errors.js';
import { group, verb, type CliIo } from '../command.js';

function keyOf(name: string): ConfigKey {
  if (isConfigKey(name)) return name;
  throw new UsageError(`'${name}' is not a setting; settings: ${Object.keys(CONFIG_KEYS).join(', ')}.`);
}

export function configCommand(io: CliIo): Command {
  const out = (text: string): void => void io.streams.stdout.write(`${text}\n`);
  const settings = Object.entries(CONFIG_KEYS).map(([name, meaning]) => `  ${name.padEnd(15)}${meaning}`).join('\n');
  return group('config', 'Defaults for the global flags (a flag or its SR_* variable still wins).')
    .addHelpText('after', `\nSettings:\n${settings}`)
    .addCommand(
      verb('set', 'Store a default.')
        .argument('<setting>', 'the setting')
        .argument('<value>', 'its value')
        .action(async (name: string, value: string) => {
          const values = await readConfig();
          values[keyOf(name)] = value;
          await writeConfig(values);
          out(`${name} = ${name === 'key' ? '(set)' : value}  (${configPath()})`);
        }),
    )
    .addCommand(
      verb('get', 'Print a stored default.')
        .argument('<setting>', 'the setting')
        .action(async (name: string) => out((await readConfig())[keyOf(name)] ?? '')),
    )
    .addCommand(
      verb('unset', 'Forget a stored default.')
        .argument('<setting>', 'the setting')
        .action(async (name: string) => {
          const values = await readConfig();
          delete values[keyOf(name)];
          await writeConfig(values);
        }),
    )
    .addCommand(
      verb('list', 'Print the stored defaults (the key masked) and where they are kept.').action(async () => {
        const values = await readConfig();
        out(`# ${configPath()}`);
        for (const [name, value] of Object.entries(values)) out(`${name} = ${name === 'key' ? '********' : value}`);
      }),
    );
}
