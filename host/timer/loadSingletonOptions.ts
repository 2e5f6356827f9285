/**
 * host.json `singleton` settings for listener locks, with `AzureFunctionsJobHost__singleton__*`
 * environment overrides: `listenerLockPeriod` (15–60 s, default 60 s) and
 * `listenerLockRecoveryPollingInterval` (how often a host without the lock retries; the Functions
 * host uses 1 min, the local host defaults to 5 s so a restarted peer takes over quickly).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseTimeSpan } from '../core/parseTimeSpan.js';

export interface SingletonOptions {
  listenerLockPeriodMs: number;
  listenerLockRenewalIntervalMs: number;
  listenerLockRecoveryPollingIntervalMs: number;
}

const envPrefix = 'AzureFunctionsJobHost__singleton__';

export function loadSingletonOptions(appDir: string, env: NodeJS.ProcessEnv = process.env): SingletonOptions {
  const file = path.join(appDir, 'host.json');
  const hostJson = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { singleton?: Record<string, unknown> }) : {};
  const setting = (key: string, fallbackMs: number): number => {
    const value = env[envPrefix + key] ?? hostJson.singleton?.[key];
    return typeof value === 'string' ? parseTimeSpan(value) : fallbackMs;
  };
  const period = setting('listenerLockPeriod', 60_000);
  if (period < 15_000 || period > 60_000) throw new RangeError(`singleton.listenerLockPeriod must be between 00:00:15 and 00:01:00.`);
  return {
    listenerLockPeriodMs: period,
    listenerLockRenewalIntervalMs: Math.floor(period / 3),
    listenerLockRecoveryPollingIntervalMs: setting('listenerLockRecoveryPollingInterval', 5_000),
  };
}
