/** App settings as the Functions host resolves them: `%name%` references, connections and the host id. */
import os from 'node:os';
import path from 'node:path';
import { resolveConnectionString } from '../../shared/config.js';
import { identityConnectionOf, type StorageConnection } from '../../shared/storage/storageConnection.js';

/** Replaces every `%name%` in `value` by the setting's value; throws naming a missing setting. */
export function resolveSetting(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/%([^%]+)%/g, (_match, name: string) => {
    const resolved = env[name];
    if (resolved === undefined) throw new Error(`Setting '${name}' (referenced as '%${name}%') is not defined.`);
    return resolved;
  });
}

/**
 * The connection a binding's `connection` names: `''`/undefined means `Storage`; looks up the
 * connection string `AzureWebJobs<name>`, then `<name>`, then `ConnectionStrings__<name>`
 * (`UseDevelopmentStorage=true` expanded to Azurite), then the identity-based settings
 * `AzureWebJobs<name>__…`, then `<name>__…` (`__accountName` or `__blobServiceUri`/`__queueServiceUri`/`__tableServiceUri`).
 */
export function resolveConnection(name: string | undefined, env: NodeJS.ProcessEnv = process.env): StorageConnection {
  const key = name ? name : 'Storage';
  const value = env[`AzureWebJobs${key}`] || env[key] || env[`ConnectionStrings__${key}`];
  if (value) return resolveConnectionString(value, env);
  const identity = identityConnectionOf(`AzureWebJobs${key}`, env) ?? identityConnectionOf(key, env);
  if (identity) return identity;
  throw new Error(`Connection '${key}' is not configured: set AzureWebJobs${key} or ${key} (or AzureWebJobs${key}__accountName for an identity-based connection).`);
}

/** .NET `Utility.GetStableHash`: 23, then `hash * 31 + char` in 32-bit arithmetic. */
function stableHash(value: string): number {
  let hash = 23;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The host id (names the timer status and lock blobs): `AzureFunctionsJobHost__id`, else
 * `<machine name>-<abs(stable hash of the app directory)>`, lower-case, at most 32 characters.
 */
export function computeHostId(appDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AzureFunctionsJobHost__id;
  if (configured) return configured.toLowerCase();
  const machine = os.hostname().replace(/[^a-zA-Z0-9]/g, '');
  const id = `${machine}-${Math.abs(stableHash(path.resolve(appDir)))}`.toLowerCase();
  return id.slice(0, 32).replace(/-+$/, '');
}
