/**
 * Scale-out: two real host processes (`node dist/host/main.js`) on one storage account. Queue
 * messages are processed exactly once across both; a timer fires once per tick (only the holder of
 * its listener lock runs it), and when the holder is killed the other host takes the lock over.
 */
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostApp, startHost, type RunningHost } from '../../support/startHost.js';
import { testStorage } from '../../support/storage.js';

const connectionString = testStorage();
const recordTable = `srec${randomUUID().replaceAll('-', '')}`;
const queueName = `scale-${randomUUID().replaceAll('-', '')}`;
const queue = QueueServiceClient.fromConnectionString(connectionString).getQueueClient(queueName);
const records = TableClient.fromConnectionString(connectionString, recordTable, { allowInsecureConnection: true });
const tickMs = 2000;

let hosts: RunningHost[] = [];

interface Row {
  pid: number;
  message?: string;
  firedAt?: string;
}

async function rowsOf(functionName: string): Promise<Row[]> {
  const rows: Row[] = [];
  try {
    for await (const row of records.listEntities<Row>({ queryOptions: { filter: `PartitionKey eq '${functionName}'` } })) rows.push(row);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return rows;
}

async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The schedule tick each firing belongs to (firings happen just after their tick). */
const ticksOf = (rows: Row[]): number[] => rows.map((r) => Math.floor(new Date(r.firedAt ?? 0).getTime() / tickMs));

beforeAll(async () => {
  await queue.create();
  const env = {
    AzureFunctionsJobHost__id: `scale${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    AzureFunctionsJobHost__singleton__listenerLockPeriod: '00:00:15',
    AzureFunctionsJobHost__singleton__listenerLockRecoveryPollingInterval: '00:00:01',
    HOSTAPP_RECORD_TABLE: recordTable,
    HOSTAPP_QUEUE: queueName,
    HOSTAPP_TIMER_CRON: '*/2 * * * * *',
  };
  hosts = await Promise.all([0, 1].map(() => startHost({ appDir: hostApp, connectionString, env })));
});

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
});

describe('two hosts on one storage account', () => {
  it('process each queue message exactly once', async () => {
    const count = 40;
    const ids = Array.from({ length: count }, (_, i) => `m${i}`);
    await Promise.all(ids.map((id) => queue.sendMessage(Buffer.from(JSON.stringify({ id, sleepMs: 200 })).toString('base64'))));

    const rows = await waitFor(async () => {
      const found = await rowsOf('queueRecord');
      return found.length >= count ? found : undefined;
    }, 'all messages processed', 30_000);
    await waitFor(async () => ((await queue.getProperties()).approximateMessagesCount === 0 ? true : undefined), 'an empty queue', 10_000);
    const processed = (await rowsOf('queueRecord')).map((r) => (JSON.parse(r.message ?? '{}') as { id: string }).id);
    expect(processed.sort()).toEqual([...ids].sort());
    expect(rows.length).toBe(count);
  });

  it('fire a timer once per tick, and the other host takes over when the lock holder is killed', async () => {
    const before = await waitFor(async () => {
      const found = await rowsOf('timerCron');
      return found.length >= 5 ? found : undefined;
    }, 'five firings', 20_000);
    const holders = new Set(before.map((r) => r.pid));
    expect(holders.size).toBe(1);
    const holderPid = before[0]?.pid;
    const holder = hosts.find((h) => h.child.pid === holderPid);
    const other = hosts.find((h) => h.child.pid !== holderPid);
    if (!holder || !other) throw new Error('the lock holder is not one of the hosts');

    holder.kill();
    await holder.exited;
    const after = await waitFor(async () => {
      const found = (await rowsOf('timerCron')).filter((r) => r.pid === other.child.pid);
      return found.length >= 2 ? found : undefined;
    }, 'firings on the other host', 40_000);
    expect(after.length).toBeGreaterThanOrEqual(2);

    const ticks = ticksOf(await rowsOf('timerCron'));
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});
