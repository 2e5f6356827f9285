/**
 * A storage account as the app reaches it, read from settings the way the Functions host reads a
 * connection: a connection string in `<name>` (Azurite, or an account key), or identity-based —
 * `<name>__accountName` (the account's public endpoints) or `<name>__blobServiceUri`,
 * `__queueServiceUri` and `__tableServiceUri` — authenticated with `@azure/identity`'s
 * `DefaultAzureCredential` (`<name>__credential=managedidentity` with `<name>__clientId` picks a
 * user-assigned identity).
 */
import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';

/** Identity-based: the services' endpoints and how to get a token for them. */
export interface IdentityConnection {
  blobServiceUri: string;
  queueServiceUri: string;
  tableServiceUri: string;
  /** `managedidentity` (with `clientId` for a user-assigned one), else the default credential chain. */
  credential?: string;
  clientId?: string;
  /** `__tenantId`, `__clientId`, `__clientSecret`: a service principal instead of the default chain. */
  tenantId?: string;
  clientSecret?: string;
}

/** A connection string, or identity-based endpoints. */
export type StorageConnection = string | IdentityConnection;

const SUFFIXES = ['accountName', 'blobServiceUri', 'queueServiceUri', 'tableServiceUri', 'credential', 'clientId', 'tenantId', 'clientSecret'] as const;

/** The identity-based connection `<prefix>__…` settings describe, or undefined when none are set. */
export function identityConnectionOf(prefix: string, env: NodeJS.ProcessEnv = process.env): IdentityConnection | undefined {
  const read = (suffix: (typeof SUFFIXES)[number]): string | undefined => env[`${prefix}__${suffix}`]?.trim() || undefined;
  if (SUFFIXES.every((suffix) => read(suffix) === undefined)) return undefined;
  const account = read('accountName');
  const uri = (service: 'blob' | 'queue' | 'table'): string => {
    const explicit = read(`${service}ServiceUri`);
    if (explicit) return explicit.replace(/\/+$/, '');
    if (account) return `https://${account}.${service}.core.windows.net`;
    throw new Error(`Missing required setting '${prefix}__${service}ServiceUri' (or '${prefix}__accountName').`);
  };
  const optional = (name: 'credential' | 'clientId' | 'tenantId' | 'clientSecret'): Partial<IdentityConnection> => {
    const value = read(name);
    return value ? { [name]: value } : {};
  };
  return { blobServiceUri: uri('blob'), queueServiceUri: uri('queue'), tableServiceUri: uri('table'), ...optional('credential'), ...optional('clientId'), ...optional('tenantId'), ...optional('clientSecret') };
}

/** A stable text for comparing and caching connections (no secret in it is ever logged: it is a map key). */
export function connectionKey(connection: StorageConnection): string {
  return typeof connection === 'string' ? connection : JSON.stringify([connection.blobServiceUri, connection.queueServiceUri, connection.tableServiceUri, connection.credential, connection.clientId, connection.tenantId]);
}

/** True when the two name the same account the same way. */
export const sameConnection = (a: StorageConnection, b: StorageConnection): boolean => connectionKey(a) === connectionKey(b);

const credentials = new Map<string, TokenCredential>();

/** The token credential of an identity-based connection (one per kind, shared: each caches its tokens). */
export function credentialOf(connection: IdentityConnection): TokenCredential {
  const key = JSON.stringify([connection.credential, connection.clientId, connection.tenantId]);
  let credential = credentials.get(key);
  if (!credential) {
    if (connection.tenantId && connection.clientId && connection.clientSecret) credential = new ClientSecretCredential(connection.tenantId, connection.clientId, connection.clientSecret);
    else if (connection.credential?.toLowerCase() === 'managedidentity') credential = connection.clientId ? new ManagedIdentityCredential({ clientId: connection.clientId }) : new ManagedIdentityCredential();
    else credential = connection.clientId ? new DefaultAzureCredential({ managedIdentityClientId: connection.clientId }) : new DefaultAzureCredential();
    credentials.set(key, credential);
  }
  return credential;
}
