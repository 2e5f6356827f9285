/**
 * host.json, read once at start-up, with the Functions host's defaults for what the local host
 * honours: the HTTP route prefix, `functionTimeout`, `extensions.queues` and `logging.logLevel`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTimeSpan } from './parseTimeSpan.js';

export interface QueuesConfig {
  batchSize: number;
  newBatchThreshold: number;
  maxDequeueCount: number;
  visibilityTimeoutMs: number;
  maxPollingIntervalMs: number;
  messageEncoding: 'base64' | 'none';
}

export interface HostConfig {
  routePrefix: string;
  /** null = unbounded (`"-1"`). */
  functionTimeoutMs: number | null;
  queues: QueuesConfig;
  logLevel: Record<string, string>;
  /** host.json `functions`: when set, only these functions run (a local-use filter). */
  functions?: string[] | undefined;
}

/** Default `functionTimeout` outside the Consumption plan: 30 minutes. */
const DEFAULT_FUNCTION_TIMEOUT_MS = 30 * 60_000;
const DEVELOPMENT_MAX_POLLING_MS = 2_000;

interface HostJson {
  functionTimeout?: string;
  functions?: unknown;
  logging?: { logLevel?: Record<string, string> };
  extensions?: {
    http?: { routePrefix?: string };
    queues?: {
      batchSize?: number;
      newBatchThreshold?: number;
      maxDequeueCount?: number;
      visibilityTimeout?: string;
      maxPollingInterval?: string;
      messageEncoding?: string;
    };
  };
}

function readHostJson(appDir: string): HostJson {
  const file = path.join(appDir, 'host.json');
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as HostJson;
  } catch (error) {
    throw new Error(`Invalid host.json at ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function queuesConfig(json: NonNullable<HostJson['extensions']>['queues'] = {}, development: boolean): QueuesConfig {
  const batchSize = json.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 32) {
    throw new RangeError(`host.json extensions.queues.batchSize must be 1..32, got ${batchSize}.`);
  }
  const newBatchThreshold = json.newBatchThreshold ?? Math.floor(batchSize / 2) * os.availableParallelism();
  const maxDequeueCount = json.maxDequeueCount ?? 5;
  if (!Number.isInteger(maxDequeueCount) || maxDequeueCount < 1) {
    throw new RangeError(`host.json extensions.queues.maxDequeueCount must be ≥ 1, got ${maxDequeueCount}.`);
  }
  let maxPollingIntervalMs = json.maxPollingInterval === undefined ? 60_000 : parseTimeSpan(json.maxPollingInterval);
  if (maxPollingIntervalMs < 100) throw new RangeError('host.json extensions.queues.maxPollingInterval must be ≥ 100 ms.');
  if (development) maxPollingIntervalMs = Math.min(maxPollingIntervalMs, DEVELOPMENT_MAX_POLLING_MS);
  const encoding = (json.messageEncoding ?? 'base64').toLowerCase();
  if (encoding !== 'base64' && encoding !== 'none') {
    throw new RangeError(`host.json extensions.queues.messageEncoding must be base64 or none, got ${json.messageEncoding}.`);
  }
  return {
    batchSize,
    newBatchThreshold,
    maxDequeueCount,
    visibilityTimeoutMs: json.visibilityTimeout === undefined ? 0 : parseTimeSpan(json.visibilityTimeout),
    maxPollingIntervalMs,
    messageEncoding: encoding,
  };
}

const LOG_LEVEL_SETTING = /^AzureFunctionsJobHost__logging__logLevel__(.+)$/i;

/** Log levels app settings set over host.json's (`AzureFunctionsJobHost__logging__logLevel__<category>`, as the Functions host reads them). */
function logLevelSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const levels: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const category = LOG_LEVEL_SETTING.exec(name)?.[1];
    if (category && value) levels[category.replaceAll('__', '.')] = value;
  }
  return levels;
}

/**
 * Reads `<appDir>/host.json` (absent = all defaults), with the log levels app settings override. In
 * Development (`AZURE_FUNCTIONS_ENVIRONMENT=Development`) the queue polling interval is capped at 2 s.
 */
export function loadHostConfig(appDir: string, env: NodeJS.ProcessEnv = process.env): HostConfig {
  const json = readHostJson(appDir);
  const development = (env.AZURE_FUNCTIONS_ENVIRONMENT ?? '').toLowerCase() === 'development';
  const timeout = json.functionTimeout?.trim();
  return {
    routePrefix: (json.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, ''),
    functionTimeoutMs: timeout === undefined ? DEFAULT_FUNCTION_TIMEOUT_MS : timeout === '-1' ? null : parseTimeSpan(timeout),
    queues: queuesConfig(json.extensions?.queues, development),
    logLevel: { ...(json.logging?.logLevel ?? {}), ...logLevelSettings(env) },
    functions: Array.isArray(json.functions) ? json.functions.map(String) : undefined,
  };
}
