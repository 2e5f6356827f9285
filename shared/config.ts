/**
 * Configuration, read from the environment once (`loadConfig`), failing fast with the name of a
 * missing setting. Bindings name settings; secrets never leave here except as clients.
 */
import { readFileSync } from 'node:fs';
import { identityConnectionOf, type StorageConnection } from './storage/storageConnection.js';

export interface Config {
  /** The app's own storage (jobs, state, queues, recovery points): `AzureWebJobsStorage` (or its `__accountName` / `__…ServiceUri` settings). */
  storage: StorageConnection;
  /** Storage of the local Hyper-V site (its VMs' disks and change logs): `HyperVSiteStorage`, else the app's. */
  siteStorage: StorageConnection;
  /** Storage of the recovery site (replicas, manifests, recovery-site VMs): `RecoverySiteStorage`, else the app's. */
  recoveryStorage: StorageConnection;
  /** The control-plane table: `CONTROL_PLANE_TABLE`, default `controlplane`. */
  controlPlaneTable: string;
  /** `extensions.queues.maxDequeueCount` of host.json: on that delivery a failing job step fails its job. */
  maxDequeueCount: number;
  /** Recovery plans: the hosts script actions may call, and how many VMs of a group run at once. */
  recoveryPlans: RecoveryPlanSettings;
  /** Commands by queue and events. */
  automation: AutomationSettings;
}

export interface AutomationSettings {
  /**
   * Base URL of the API as its callers reach it (the operation-status URLs of replies name it):
   * `SiteRecoveryPublicUrl`, else `https://{WEBSITE_HOSTNAME}/api` (`http` on localhost), else
   * `http://localhost:7071/api`.
   */
  publicUrl: string;
  /** `SiteRecoveryEventRetentionDays`: events older than this are pruned (default 30). */
  eventRetentionDays: number;
  /** `AlertWebhookHosts`: comma-separated `host[:port]` an alert setting's webhook may name (none by default). */
  webhookHosts: string[];
}

/** The automation settings from the environment. */
export function automationSettings(env: NodeJS.ProcessEnv = process.env): AutomationSettings {
  const hostName = env.WEBSITE_HOSTNAME?.trim();
  const local = hostName !== undefined && /^(localhost|127\.0\.0\.1)(:\d+)?$/i.test(hostName);
  const publicUrl = env.SiteRecoveryPublicUrl?.trim() || (hostName ? `${local ? 'http' : 'https'}://${hostName}/api` : 'http://localhost:7071/api');
  const retention = Number.parseInt(env.SiteRecoveryEventRetentionDays ?? '', 10);
  return {
    publicUrl: publicUrl.replace(/\/+$/, ''),
    eventRetentionDays: Number.isInteger(retention) && retention > 0 ? retention : 30,
    webhookHosts: hostList(env.AlertWebhookHosts),
  };
}

export interface RecoveryPlanSettings {
  /** `RecoveryPlanScriptHosts`: comma-separated `host[:port]` a script action's URL may name (none by default). */
  scriptHosts: string[];
  /** `RecoveryPlanParallelism`: VMs of one group whose operations run at once (default 10). */
  parallelism: number;
}

/** A comma-separated list of `host[:port]`, lower case. */
function hostList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
}

/** The recovery plan settings from the environment. */
export function recoveryPlanSettings(env: NodeJS.ProcessEnv = process.env): RecoveryPlanSettings {
  const parallelism = Number.parseInt(env.RecoveryPlanParallelism ?? '', 10);
  return {
    scriptHosts: hostList(env.RecoveryPlanScriptHosts),
    parallelism: Number.isInteger(parallelism) && parallelism > 0 ? parallelism : 10,
  };
}

/** The Functions host's default `maxDequeueCount`. */
const DEFAULT_MAX_DEQUEUE_COUNT = 5;

/** Expands `UseDevelopmentStorage=true` to Azurite's account on the configured (or default) ports. */
export function resolveConnectionString(value: string, env: NodeJS.ProcessEnv = process.env): string {
  if (value.trim().replace(/;$/, '').toLowerCase() !== 'usedevelopmentstorage=true') return value;
  const blob = env.AZURITE_BLOB_PORT ?? '10000';
  const queue = env.AZURITE_QUEUE_PORT ?? '10001';
  const table = env.AZURITE_TABLE_PORT ?? '10002';
  const account = 'devstoreaccount1';
  const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  return (
    `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};` +
    `BlobEndpoint=http://127.0.0.1:${blob}/${account};QueueEndpoint=http://127.0.0.1:${queue}/${account};` +
    `TableEndpoint=http://127.0.0.1:${table}/${account};`
  );
}

/** `extensions.queues.maxDequeueCount` of the app's host.json (the host's default when absent). */
export function maxDequeueCountOf(hostJson: unknown): number {
  const value = (hostJson as { extensions?: { queues?: { maxDequeueCount?: unknown } } } | undefined)?.extensions?.queues?.maxDequeueCount;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_DEQUEUE_COUNT;
}

/** The storage settings the app reads, each a connection string or identity-based `<name>__…` settings. */
export type StorageSettingName = 'AzureWebJobsStorage' | 'HyperVSiteStorage' | 'RecoverySiteStorage';

/**
 * The connection a storage setting names: its connection string (Azurite's shorthand expanded), else
 * its identity-based `<name>__accountName` / `<name>__blobServiceUri`… settings; the sites' storage
 * falls back to `AzureWebJobsStorage`. Throws naming the missing setting.
 */
export function storageConnectionSetting(name: StorageSettingName, env: NodeJS.ProcessEnv = process.env): StorageConnection {
  const value = env[name]?.trim();
  if (value) return resolveConnectionString(value, env);
  const identity = identityConnectionOf(name, env);
  if (identity) return identity;
  if (name !== 'AzureWebJobsStorage') return storageConnectionSetting('AzureWebJobsStorage', env);
  throw new Error(`Missing required setting 'AzureWebJobsStorage' (a connection string, or 'AzureWebJobsStorage__accountName' / 'AzureWebJobsStorage__blobServiceUri', '__queueServiceUri', '__tableServiceUri' for an identity-based connection).`);
}

/**
 * A site's storage as the local tools (the site's host, the demo) reach it: the setting's own
 * connection string or identity-based settings, else `AzureWebJobsStorage`'s, else Azurite's
 * development account.
 */
export function toolStorageSetting(name: 'HyperVSiteStorage' | 'RecoverySiteStorage', env: NodeJS.ProcessEnv = process.env): StorageConnection {
  const configured = (setting: StorageSettingName): boolean => Boolean(env[setting]?.trim()) || identityConnectionOf(setting, env) !== undefined;
  if (!configured(name) && !configured('AzureWebJobsStorage')) return resolveConnectionString('UseDevelopmentStorage=true', env);
  return storageConnectionSetting(name, env);
}

/** The app's host.json (beside `dist/`), parsed. */
function readHostJson(): unknown {
  return JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8')) as unknown;
}

/** The configuration from the environment and host.json. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, hostJson: unknown = readHostJson()): Config {
  return {
    storage: storageConnectionSetting('AzureWebJobsStorage', env),
    siteStorage: storageConnectionSetting('HyperVSiteStorage', env),
    recoveryStorage: storageConnectionSetting('RecoverySiteStorage', env),
    controlPlaneTable: env.CONTROL_PLANE_TABLE || 'controlplane',
    maxDequeueCount: maxDequeueCountOf(hostJson),
    recoveryPlans: recoveryPlanSettings(env),
    automation: automationSettings(env),
  };
}

/** The configuration of an app whose storage, sites' storage and recovery storage are all one account (Azurite, tests, benchmarks). */
export function configForStorage(connectionString: string, options: { controlPlaneTable?: string; maxDequeueCount?: number } = {}): Config {
  return {
    storage: connectionString,
    siteStorage: connectionString,
    recoveryStorage: connectionString,
    controlPlaneTable: options.controlPlaneTable ?? 'controlplane',
    maxDequeueCount: options.maxDequeueCount ?? DEFAULT_MAX_DEQUEUE_COUNT,
    recoveryPlans: recoveryPlanSettings({}),
    automation: automationSettings({}),
  };
}
