/**
 * The pieces every command is built from: an action that gets the run's session, the item flags
 * `az site-recovery` uses, `--no-wait`, and reading every page of a list.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { readConfig } from './config.js';
import { createSession, type GlobalOptions, type Session, type Streams } from './session.js';

/** What building the commands needs from the process. */
export interface CliIo {
  streams: Streams;
}

/**
 * A commander action that builds the session from the global flags (with their environment
 * variables and `sr config` defaults) and runs `run` with it and the command's own options.
 */
export function withSession<O extends object>(io: CliIo, run: (session: Session, options: O) => Promise<void>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = command.optsWithGlobals<GlobalOptions & O>();
    await run(createSession(options, await readConfig(), io.streams), options);
  };
}

/** A subcommand group (`sr protected-item …`). */
export const group = (name: string, description: string): Command => new Command(name).description(description).showHelpAfterError();

/** A command of a group. */
export const verb = (name: string, description: string): Command => new Command(name).description(description).showHelpAfterError();

/** `--no-wait`: return the job at once instead of following it. */
export const noWait = (command: Command): Command => command.option('--no-wait', 'return the job at once instead of following it to its end');

/** `--fabric-name` and `--protection-container`, as `az site-recovery` names them. */
export function containerFlags(command: Command, required = true): Command {
  const fabric = new Option('--fabric-name <name>', 'the fabric (site) of the protection container');
  const container = new Option('--protection-container <name>', 'the protection container');
  if (required) return command.addOption(fabric.makeOptionMandatory()).addOption(container.makeOptionMandatory());
  return command.addOption(fabric).addOption(container);
}

export interface ContainerOptions {
  fabricName: string;
  protectionContainer: string;
}

export interface ItemOptions extends ContainerOptions {
  name: string;
}

/** The flags that name one replicated item. */
export const itemFlags = (command: Command): Command => containerFlags(command).requiredOption('--name <name>', 'the replicated item');

/** Every element of a paged list. */
export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const element of pages) all.push(element);
  return all;
}

/** The last segment of an ARM id (or the name itself). */
export const nameOf = (idOrName: string): string => idOrName.split('/').filter(Boolean).pop() ?? idOrName;

/** A whole-number flag value (commander names the flag when it is not one). */
export function wholeNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new InvalidArgumentError(`'${text}' is not a whole number.`);
  return value;
}
