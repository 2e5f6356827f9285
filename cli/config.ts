/**
 * `sr config`: defaults kept in a small JSON file in the user's config directory
 * (`$XDG_CONFIG_HOME/sr/config.json` on Linux, `SR_CONFIG_DIR` overrides it). A flag beats its
 * environment variable, which beats the file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';

/** The settings `sr config set` accepts, with what each means. */
export const CONFIG_KEYS = {
  endpoint: 'the service API base, e.g. http://localhost:7071/api',
  key: 'the Functions key sent as x-functions-key',
  subscription: 'the subscription id',
  'resource-group': 'the resource group of the vault',
  vault: 'the Recovery Services vault',
  output: 'the default output format (json, yaml, table, tsv)',
} as const;

export type ConfigKey = keyof typeof CONFIG_KEYS;
export type ConfigValues = Partial<Record<ConfigKey, string>>;

export const isConfigKey = (name: string): name is ConfigKey => Object.hasOwn(CONFIG_KEYS, name);

/** Path of the config file. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.SR_CONFIG_DIR || envPaths('sr', { suffix: '' }).config;
  return path.join(dir, 'config.json');
}

/** The stored defaults (none when the file does not exist). */
export async function readConfig(file = configPath()): Promise<ConfigValues> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file} does not hold a JSON object.`);
  const values: ConfigValues = {};
  for (const [name, value] of Object.entries(parsed)) if (isConfigKey(name) && typeof value === 'string') values[name] = value;
  return values;
}

/** Writes `values` (owner-only: it may hold a key). */
export async function writeConfig(values: ConfigValues, file = configPath()): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
}
