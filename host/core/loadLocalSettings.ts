/**
 * local.settings.json as Core Tools reads it: `Values` become environment variables (existing
 * ones win), `ConnectionStrings` become `ConnectionStrings__<name>`, `IsEncrypted: true` is refused,
 * and the `Host` section (port, CORS) is returned.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LocalHostSettings {
  LocalHttpPort?: number;
  CORS?: string;
  CORSCredentials?: boolean;
}

interface LocalSettingsJson {
  IsEncrypted?: boolean;
  Values?: Record<string, unknown>;
  ConnectionStrings?: Record<string, unknown>;
  Host?: LocalHostSettings;
}

/** Applies `<appDir>/local.settings.json` (if present) to `env` and returns its `Host` section. */
export function loadLocalSettings(appDir: string, env: NodeJS.ProcessEnv = process.env): LocalHostSettings {
  const file = path.join(appDir, 'local.settings.json');
  if (!fs.existsSync(file)) return {};
  let json: LocalSettingsJson;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as LocalSettingsJson;
  } catch (error) {
    throw new Error(`Invalid local.settings.json at ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (json.IsEncrypted === true) {
    throw new Error(`${file} is encrypted (IsEncrypted: true); this host reads plain-text settings only.`);
  }
  for (const [name, value] of Object.entries(json.Values ?? {})) {
    if (typeof value !== 'string') throw new Error(`local.settings.json Values.${name} must be a string.`);
    if (name.includes(':') || name.includes('__')) throw new Error(`local.settings.json Values name '${name}' must not contain ':' or '__'.`);
    if (env[name] === undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(json.ConnectionStrings ?? {})) {
    const key = `ConnectionStrings__${name}`;
    if (typeof value === 'string' && env[key] === undefined) env[key] = value;
  }
  return json.Host ?? {};
}
