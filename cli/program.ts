/**
 * `sr`: the operator CLI, after `az site-recovery`. It speaks only the public ARM API through the
 * official clients, so it works against any deployment of the service.
 */
import { Command, CommanderError, Option } from 'commander';
import fs from 'node:fs';
import { EXIT, describeFailure } from './errors.js';
import { OUTPUT_FORMATS } from './output.js';
import { DEFAULT_ENDPOINT, DEFAULT_SUBSCRIPTION } from './session.js';
import type { CliIo } from './command.js';
import { bashCompletion, zshCompletion } from './completion.js';
import { configCommand } from './commands/config.js';
import { eventCommand } from './commands/event.js';
import { fabricCommand } from './commands/fabric.js';
import { groupCommand } from './commands/group.js';
import { jobCommand } from './commands/job.js';
import { mappingCommand } from './commands/mapping.js';
import { policyCommand } from './commands/policy.js';
import { protectableItemCommand } from './commands/protectableItem.js';
import { protectedItemCommand } from './commands/protectedItem.js';
import { protectionContainerCommand } from './commands/protectionContainer.js';
import { recoveryPlanCommand } from './commands/recoveryPlan.js';
import { recoveryPointCommand } from './commands/recoveryPoint.js';
import { vaultCommand } from './commands/vault.js';

function version(): string {
  const manifest = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

/** Every command under `command`, itself included. */
function* everyCommand(command: Command): Generator<Command> {
  yield command;
  for (const sub of command.commands) yield* everyCommand(sub);
}

/** The whole command tree. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('sr')
    .description('Operate the site recovery service: protect VMs, watch replication, fail over and back.')
    .version(version())
    .addOption(new Option('--endpoint <url>', `the service's API base (default ${DEFAULT_ENDPOINT})`).env('SR_ENDPOINT'))
    .addOption(new Option('--key <key>', 'the Functions key, when keys are enforced').env('SR_KEY'))
    .addOption(new Option('--subscription <id>', `the subscription (default ${DEFAULT_SUBSCRIPTION})`).env('SR_SUBSCRIPTION'))
    .addOption(new Option('-g, --resource-group <name>', "the vault's resource group").env('SR_RESOURCE_GROUP'))
    .addOption(new Option('--vault <name>', 'the Recovery Services vault').env('SR_VAULT'))
    .addOption(new Option('-o, --output <format>', 'json (default when piped), table (default on a terminal), yaml or tsv').choices(OUTPUT_FORMATS).env('SR_OUTPUT'))
    .addOption(new Option('--query <jmespath>', 'a JMESPath query applied to the result, as az has it'))
    .addCommand(groupCommand(io))
    .addCommand(vaultCommand(io))
    .addCommand(fabricCommand(io))
    .addCommand(protectionContainerCommand(io))
    .addCommand(policyCommand(io))
    .addCommand(mappingCommand(io))
    .addCommand(protectableItemCommand(io))
    .addCommand(protectedItemCommand(io))
    .addCommand(recoveryPointCommand(io))
    .addCommand(recoveryPlanCommand(io))
    .addCommand(jobCommand(io))
    .addCommand(eventCommand(io))
    .addCommand(configCommand(io));
  program.addCommand(
    new Command('completion')
      .description('Print a shell completion script: eval "$(sr completion bash)"')
      .argument('[shell]', 'bash or zsh', 'bash')
      .action((shell: string) => {
        if (shell !== 'bash' && shell !== 'zsh') throw new CommanderError(EXIT.usage, 'sr.usage', `error: shell '${shell}' is not bash or zsh.`);
        io.streams.stdout.write(shell === 'zsh' ? zshCompletion(program) : bashCompletion(program));
      }),
  );
  for (const command of everyCommand(program)) {
    command
      .exitOverride()
      .showHelpAfterError('(add --help for usage)')
      .configureOutput({ writeOut: (text) => void io.streams.stdout.write(text), writeErr: (text) => void io.streams.stderr.write(text) });
  }
  return program;
}

/** Runs one command line (without the node and script arguments) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'sr.usage') io.streams.stderr.write(`${error.message}\n`);
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { text, exitCode } = describeFailure(error);
    io.streams.stderr.write(`${text}\n`);
    return exitCode;
  }
}
