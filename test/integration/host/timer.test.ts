/**
 * Timer triggers, in process: the fixture app's timer functions record each TimerInfo they receive
 * as a table row; status and lock blobs are read from storage.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadHostConfig, type HostConfig } from '../../../host/core/hostConfig.js';
import { loadApp, type LoadedApp } from '../../../host/core/loadApp.js';
import type { HostLog } from '../../../host/core/log.js';
import { startTimers } from '../../../host/timer/startTimers.js';
import { testStorage } from '../../support/storage.js';

const appDir = path.resolve('test/fixtures/hostapp');
const connectionString = testStorage();
const recordTable = `trec${randomUUID().replaceAll('-', '')}`;
const hostsContainer = BlobServiceClient.fromConnectionString(connectionString).getContainerClient('azure-webjobs-hosts');
const log: HostLog = { info: () => {}, debug: () => {}, warn: () => {}, error: () => {} };

interface TimerInfo {
  schedule: { adjustForDST: boolean };
  scheduleStatus: { last: string; next: string; lastUpdated: string } | null;
  isPastDue: boolean;
}

let app: LoadedApp;
let hostConfig: HostConfig;
let stopTimers: (() => Promise<void>) | undefined;

async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function firings(functionName: string): Promise<TimerInfo[]> {
  const table = TableClient.fromConnectionString(connectionString, recordTable, { allowInsecureConnection: true });
  const rows: TimerInfo[] = [];
  try {
    for await (const row of table.listEntities<{ timer: string }>({ queryOptions: { filter: `PartitionKey eq '${functionName}'` } })) {
      rows.push(JSON.parse(row.timer) as TimerInfo);
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return rows;
}

const statusBlob = (hostId: string, name: string) => hostsContainer.getBlockBlobClient(`timers/${hostId}/Host.Functions.${name}/status`);

async function readStatus(hostId: string, name: string): Promise<{ Last: string; Next: string; LastUpdated: string } | undefined> {
  const blob = statusBlob(hostId, name);
  if (!(await blob.exists())) return undefined;
  const text = (await blob.downloadToBuffer()).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    // Read while the host rewrote it: no status yet as far as this read can tell (callers poll).
    return undefined;
  }
}

function start(names: string[], hostId: string, env: NodeJS.ProcessEnv = process.env): void {
  const functions = app.functions.filter((fn) => names.includes(fn.name));
  const timers = startTimers({ app: { ...app, functions }, hostConfig, hostId, log, env });
  stopTimers = () => timers.stop();
}

const newHostId = (): string => `t${randomUUID().replaceAll('-', '').slice(0, 20)}`;
const hourStart = (offsetHours: number): Date => {
  const date = new Date();
  date.setUTCMinutes(0, 0, 0);
  return new Date(date.getTime() + offsetHours * 3_600_000);
};

beforeAll(async () => {
  Object.assign(process.env, {
    AzureWebJobsStorage: connectionString,
    AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
    HOSTAPP_RECORD_TABLE: recordTable,
    HOSTAPP_TIMER_CRON: '*/2 * * * * *',
    HOSTAPP_TIMER_SPAN: '00:00:01',
    HOSTAPP_TIMERS_HOURLY: '1',
    AzureFunctionsJobHost__singleton__listenerLockPeriod: '00:00:15',
  });
  hostConfig = loadHostConfig(appDir, process.env);
  app = await loadApp(appDir, { hostConfig, log });
});

afterEach(async () => {
  await stopTimers?.();
  stopTimers = undefined;
});

afterAll(async () => {
  await app.terminate();
});

describe('timer trigger', () => {
  it('fires an NCRONTAB schedule every 2 s without a monitor, holding the listener lock while running', async () => {
    const hostId = newHostId();
    start(['timerCron'], hostId);
    const fired = await waitFor(async () => {
      const rows = await firings('timerCron');
      return rows.length >= 2 ? rows : undefined;
    }, 'two firings');
    expect(fired[0]).toEqual({ schedule: { adjustForDST: true }, scheduleStatus: null, isPastDue: false });
    expect(await statusBlob(hostId, 'timerCron').exists()).toBe(false);

    const lock = hostsContainer.getBlobClient(`locks/${hostId}/Host.Functions.timerCron.Listener`);
    expect((await lock.getProperties()).leaseState).toBe('leased');
    await stopTimers?.();
    stopTimers = undefined;
    expect((await lock.getProperties()).leaseState).toBe('available');
  });

  it('fires a TimeSpan schedule, and keeps firing after the function fails', async () => {
    start(['timerSpan'], newHostId());
    const fired = await waitFor(async () => {
      const rows = await firings('timerSpan');
      return rows.length >= 3 ? rows : undefined;
    }, 'three firings');
    expect(fired[0]).toEqual({ schedule: { adjustForDST: false }, scheduleStatus: null, isPastDue: false });
  });

  it('runs on start-up once, writing and then updating the status blob', async () => {
    const hostId = newHostId();
    const startedAt = Date.now();
    start(['timerStartup'], hostId);
    const status = await waitFor(async () => {
      const s = await readStatus(hostId, 'timerStartup');
      return s && !s.Last.startsWith('0001') ? s : undefined;
    }, 'the status after firing');
    const fired = await firings('timerStartup');
    expect(fired).toHaveLength(1);
    expect(fired[0]?.isPastDue).toBe(false);
    expect(fired[0]?.scheduleStatus).toMatchObject({ last: '0001-01-01T00:00:00' });
    expect(new Date(fired[0]?.scheduleStatus?.next ?? '').getTime()).toBe(hourStart(1).getTime());
    expect(new Date(status.Last).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(new Date(status.Next).getTime()).toBe(hourStart(1).getTime());
  });

  it('fires once with isPastDue when the stored Next has passed', async () => {
    const hostId = newHostId();
    const stored = {
      Last: hourStart(-2).toISOString(),
      Next: hourStart(-1).toISOString(),
      LastUpdated: hourStart(-2).toISOString(),
    };
    const text = JSON.stringify(stored);
    await hostsContainer.createIfNotExists();
    await statusBlob(hostId, 'timerPastDue').upload(text, text.length);
    start(['timerPastDue'], hostId);

    const status = await waitFor(async () => {
      const s = await readStatus(hostId, 'timerPastDue');
      return s && new Date(s.Next).getTime() > Date.now() ? s : undefined;
    }, 'the status after the catch-up');
    const fired = await firings('timerPastDue');
    expect(fired).toHaveLength(1);
    expect(fired[0]?.isPastDue).toBe(true);
    expect(new Date(fired[0]?.scheduleStatus?.next ?? '').getTime()).toBe(hourStart(-1).getTime());
    expect(new Date(fired[0]?.scheduleStatus?.last ?? '').getTime()).toBe(hourStart(-2).getTime());
    expect(new Date(status.Next).getTime()).toBe(hourStart(1).getTime());
  });

  it('recomputes a stored Next that no longer matches the schedule instead of firing as past due', async () => {
    const hostId = newHostId();
    const firedBefore = (await firings('timerPastDue')).length;
    const stored = {
      Last: hourStart(0).toISOString(),
      Next: new Date(hourStart(0).getTime() + 1000).toISOString(),
      LastUpdated: hourStart(0).toISOString(),
    };
    const text = JSON.stringify(stored);
    await hostsContainer.createIfNotExists();
    await statusBlob(hostId, 'timerPastDue').upload(text, text.length);
    start(['timerPastDue'], hostId);
    const status = await waitFor(async () => {
      const s = await readStatus(hostId, 'timerPastDue');
      return s && s.Next !== stored.Next ? s : undefined;
    }, 'the recomputed status');
    expect(new Date(status.Next).getTime()).toBe(hourStart(1).getTime());
    await stopTimers?.();
    stopTimers = undefined;
    expect(await firings('timerPastDue')).toHaveLength(firedBefore);
  });

  it('schedules in WEBSITE_TIME_ZONE and writes dates with its offset', async () => {
    const hostId = newHostId();
    start(['timerStartup'], hostId, { ...process.env, WEBSITE_TIME_ZONE: 'Asia/Kolkata' });
    const status = await waitFor(async () => readStatus(hostId, 'timerStartup'), 'the status blob');
    expect(status.Next).toMatch(/T\d{2}:00:00\.000\+05:30$/);
    expect(new Date(status.Next).getUTCMinutes()).toBe(30);
  });

  it('applies the function retry policy to a failing timer invocation', async () => {
    const hostId = newHostId();
    start(['timerRetry'], hostId);
    await waitFor(async () => {
      const s = await readStatus(hostId, 'timerRetry');
      return s && !s.Last.startsWith('0001') ? s : undefined;
    }, 'the status after the retries');
    expect(await firings('timerRetry')).toHaveLength(3);
  });

  it('rejects an invalid schedule at start-up, naming the function', () => {
    expect(() => start(['timerCron'], newHostId(), { ...process.env, HOSTAPP_TIMER_CRON: 'every minute' })).toThrow(
      /timerCron.*'every minute' was not recognized/,
    );
  });
});
