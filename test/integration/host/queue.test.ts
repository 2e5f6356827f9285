/**
 * Storage queue trigger and queue output bindings, in process: the fixture app is loaded as the
 * host loads it and its queue functions record each invocation as a table row.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { type QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadHostConfig, type HostConfig } from '../../../host/core/hostConfig.js';
import { loadApp, type LoadedApp } from '../../../host/core/loadApp.js';
import type { HostLog } from '../../../host/core/log.js';
import { registerQueueListener, setQueueMessageEncoding } from '../../../host/queue/localQueueListeners.js';
import { startQueueListeners, type StartQueueListenersOptions } from '../../../host/queue/startQueueListeners.js';
import { writeQueueOutputs } from '../../../host/queue/writeQueueOutputs.js';
import { testStorage } from '../../support/storage.js';

const appDir = path.resolve('test/fixtures/hostapp');
const connectionString = testStorage();
const recordTable = `qrec${randomUUID().replaceAll('-', '')}`;
const uniqueQueue = (prefix: string): string => `${prefix}-${randomUUID().replaceAll('-', '')}`;
const queues = QueueServiceClient.fromConnectionString(connectionString);
const warnings: string[] = [];
const log: HostLog = { info: () => {}, debug: () => {}, warn: (m) => void warnings.push(m), error: () => {} };
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string): string => Buffer.from(text, 'base64').toString('utf8');

interface Recorded {
  message: unknown;
  triggerMetadata: Record<string, unknown>;
  running: number;
}

let app: LoadedApp;
let hostConfig: HostConfig;
let stopListeners: (() => Promise<void>) | undefined;

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function recordsOf(runId: string): Promise<Recorded[]> {
  const table = TableClient.fromConnectionString(connectionString, recordTable, { allowInsecureConnection: true });
  const rows: Recorded[] = [];
  try {
    for await (const row of table.listEntities<{ message: string; triggerMetadata: string; running: number }>()) {
      const message = JSON.parse(row.message) as { runId?: string } | string;
      const matches = typeof message === 'string' ? message.includes(runId) : message?.runId === runId;
      if (matches) rows.push({ message, triggerMetadata: JSON.parse(row.triggerMetadata), running: row.running });
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return rows;
}

async function messagesIn(queue: QueueClient): Promise<string[]> {
  if (!(await queue.exists())) return [];
  const peeked = await queue.peekMessages({ numberOfMessages: 32 });
  return peeked.peekedMessageItems.map((m) => m.messageText);
}

const approximateCount = async (queue: QueueClient): Promise<number> => (await queue.getProperties()).approximateMessagesCount ?? 0;

/** Starts the listener of `queueRecord` on a fresh queue (created, so the listener finds it). */
async function startRecordListener(extra: Partial<StartQueueListenersOptions> = {}): Promise<QueueClient> {
  const name = uniqueQueue('rec');
  process.env.HOSTAPP_QUEUE = name;
  const queue = queues.getQueueClient(name);
  await queue.create();
  const only = app.functions.filter((fn) => fn.name === 'queueRecord');
  const listeners = startQueueListeners({ app: { ...app, functions: only }, hostConfig, log, env: process.env, ...extra });
  stopListeners = () => listeners.stop();
  return queue;
}

beforeAll(async () => {
  process.env.AzureWebJobsStorage = connectionString;
  process.env.AZURE_FUNCTIONS_ENVIRONMENT = 'Development';
  process.env.HOSTAPP_RECORD_TABLE = recordTable;
  process.env.HOSTAPP_QUEUE = 'placeholder';
  process.env.HOSTAPP_OUTPUT_SOURCE = 'placeholder';
  hostConfig = loadHostConfig(appDir, process.env);
  app = await loadApp(appDir, { hostConfig, log });
});

afterEach(async () => {
  await stopListeners?.();
  stopListeners = undefined;
  setQueueMessageEncoding(hostConfig.queues.messageEncoding);
});

afterAll(async () => {
  await app.terminate();
});

describe('queue trigger', () => {
  it('decodes base64, passes JSON parsed with all trigger metadata keys, and deletes the message on success', async () => {
    const queue = await startRecordListener();
    const runId = randomUUID();
    const sent = await queue.sendMessage(b64(JSON.stringify({ runId, text: 'grüße ✓' })));

    const [record] = await waitFor(async () => {
      const rows = await recordsOf(runId);
      return rows.length ? rows : undefined;
    }, 'the invocation');
    expect(record?.message).toEqual({ runId, text: 'grüße ✓' });
    const metadata = record?.triggerMetadata ?? {};
    expect(Object.keys(metadata).sort()).toEqual(
      ['dequeueCount', 'expirationTime', 'id', 'insertionTime', 'nextVisibleTime', 'popReceipt', 'queueTrigger', 'sys'].sort(),
    );
    expect(metadata.dequeueCount).toBe(1);
    expect(metadata.id).toBe(sent.messageId);
    expect(metadata.queueTrigger).toEqual({ runId, text: 'grüße ✓' });
    expect(new Date(metadata.insertionTime as string).toISOString()).toBe(sent.insertedOn.toISOString());
    expect(new Date(metadata.expirationTime as string).toISOString()).toBe(sent.expiresOn.toISOString());
    expect(metadata.sys).toMatchObject({ methodName: 'queueRecord' });

    await waitFor(async () => ((await approximateCount(queue)) === 0 ? true : undefined), 'the message to be deleted');
  });

  it('waits for a missing queue without creating it, then processes its messages', async () => {
    const name = uniqueQueue('late');
    process.env.HOSTAPP_QUEUE = name;
    const only = app.functions.filter((fn) => fn.name === 'queueRecord');
    stopListeners = startQueueListeners({ app: { ...app, functions: only }, hostConfig, log, env: process.env }).stop;
    const queue = queues.getQueueClient(name);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await queue.exists()).toBe(false);

    await queue.create();
    const runId = randomUUID();
    await queue.sendMessage(b64(JSON.stringify({ runId })));
    await waitFor(async () => ((await recordsOf(runId)).length ? true : undefined), 'the invocation');
  });

  it('passes a non-JSON message as the decoded string', async () => {
    const queue = await startRecordListener();
    const runId = randomUUID();
    await queue.sendMessage(b64(`plain text ${runId}`));
    const [record] = await waitFor(async () => {
      const rows = await recordsOf(runId);
      return rows.length ? rows : undefined;
    }, 'the invocation');
    expect(record?.message).toBe(`plain text ${runId}`);
  });

  it('retries a failing message with increasing dequeueCount, then moves its original body to <queue>-poison', async () => {
    const queue = await startRecordListener();
    const runId = randomUUID();
    const body = b64(JSON.stringify({ runId, fail: true }));
    await queue.sendMessage(body);
    const poison = queues.getQueueClient(`${queue.name}-poison`);

    const poisoned = await waitFor(async () => {
      const texts = await messagesIn(poison);
      return texts.length ? texts : undefined;
    }, 'the poison message');
    expect(poisoned).toEqual([body]);
    const counts = (await recordsOf(runId)).map((r) => r.triggerMetadata.dequeueCount).sort();
    expect(counts).toEqual([1, 2, 3]);
    expect(await approximateCount(queue)).toBe(0);
    expect(warnings.some((w) => w.includes(poison.name))).toBe(true);
  });

  it('moves a message that is not base64 straight to poison without invoking', async () => {
    const queue = await startRecordListener();
    const runId = randomUUID();
    const body = `not base64 ${runId} !`;
    await queue.sendMessage(body);
    const poison = queues.getQueueClient(`${queue.name}-poison`);
    const poisoned = await waitFor(async () => {
      const texts = await messagesIn(poison);
      return texts.length ? texts : undefined;
    }, 'the poison message');
    expect(poisoned).toEqual([body]);
    expect(await recordsOf(runId)).toEqual([]);
    expect(await approximateCount(queue)).toBe(0);
  });

  it('moves a message already dequeued more than maxDequeueCount times to poison without invoking', async () => {
    const name = uniqueQueue('over');
    const queue = queues.getQueueClient(name);
    await queue.create();
    const runId = randomUUID();
    const body = b64(JSON.stringify({ runId }));
    await queue.sendMessage(body);
    for (let i = 0; i < hostConfig.queues.maxDequeueCount; i++) {
      const [received] = (await queue.receiveMessages({ visibilityTimeout: 30 })).receivedMessageItems;
      if (!received) throw new Error('expected the message');
      await queue.updateMessage(received.messageId, received.popReceipt, undefined, 0);
    }
    process.env.HOSTAPP_QUEUE = name;
    const only = app.functions.filter((fn) => fn.name === 'queueRecord');
    stopListeners = startQueueListeners({ app: { ...app, functions: only }, hostConfig, log, env: process.env }).stop;

    const poisoned = await waitFor(async () => {
      const texts = await messagesIn(queues.getQueueClient(`${name}-poison`));
      return texts.length ? texts : undefined;
    }, 'the poison message');
    expect(poisoned).toEqual([body]);
    expect(await recordsOf(runId)).toEqual([]);
  });

  it('processes a batch of batchSize messages in parallel', async () => {
    const queue = await startRecordListener();
    const runId = randomUUID();
    const { batchSize } = hostConfig.queues;
    // Enqueued before the listener's first receive finds them, so one receive takes them all.
    await stopListeners?.();
    for (let i = 0; i < batchSize; i++) await queue.sendMessage(b64(JSON.stringify({ runId, i, sleepMs: 2000 })));
    const only = app.functions.filter((fn) => fn.name === 'queueRecord');
    stopListeners = startQueueListeners({ app: { ...app, functions: only }, hostConfig, log, env: process.env }).stop;

    const rows = await waitFor(async () => {
      const found = await recordsOf(runId);
      return found.length === batchSize ? found : undefined;
    }, 'all invocations');
    expect(Math.max(...rows.map((r) => r.running))).toBe(batchSize);
    await waitFor(async () => ((await approximateCount(queue)) === 0 ? true : undefined), 'all messages deleted');
  });

  it('renews the visibility of a message while its invocation runs longer than the lease', async () => {
    const queue = await startRecordListener({ visibilityLeaseMs: 2000, visibilityRenewalIntervalMs: 500 });
    const runId = randomUUID();
    await queue.sendMessage(b64(JSON.stringify({ runId, sleepMs: 4000 })));
    await waitFor(async () => ((await recordsOf(runId)).length ? true : undefined), 'the invocation');
    await waitFor(async () => ((await approximateCount(queue)) === 0 ? true : undefined), 'the message to be deleted');
    const rows = await recordsOf(runId);
    expect(rows.map((r) => r.triggerMetadata.dequeueCount)).toEqual([1]);
  });

  it('stop() waits for in-flight invocations to complete', async () => {
    const queue = await startRecordListener();
    const runId = randomUUID();
    await queue.sendMessage(b64(JSON.stringify({ runId, sleepMs: 1500 })));
    await waitFor(async () => ((await recordsOf(runId)).length ? true : undefined), 'the invocation to start');
    await stopListeners?.();
    stopListeners = undefined;
    expect(await approximateCount(queue)).toBe(0);
  });

  it('with messageEncoding none, reads and writes message text as is', async () => {
    const source = uniqueQueue('src');
    const arrayQueue = queues.getQueueClient(uniqueQueue('arr'));
    const objectQueue = queues.getQueueClient(uniqueQueue('obj'));
    Object.assign(process.env, { HOSTAPP_OUTPUT_SOURCE: source, HOSTAPP_OUTPUT_ARRAY: arrayQueue.name, HOSTAPP_OUTPUT_OBJECT: objectQueue.name });
    await queues.getQueueClient(source).create();
    const only = app.functions.filter((fn) => fn.name === 'queueOutputs');
    const plain = { ...hostConfig, queues: { ...hostConfig.queues, messageEncoding: 'none' as const } };
    stopListeners = startQueueListeners({ app: { ...app, functions: only }, hostConfig: plain, log, env: process.env }).stop;

    await queues.getQueueClient(source).sendMessage(JSON.stringify({ items: [{ n: 1 }], echo: 'plain' }));
    const objectMessages = await waitFor(async () => {
      const texts = await messagesIn(objectQueue);
      return texts.length ? texts : undefined;
    }, 'the object output');
    expect(objectMessages).toEqual(['{"echo":"plain"}']);
    expect(await messagesIn(arrayQueue)).toEqual(['{"n":1}']);
  });

  it('fails start-up naming the function when the queue name is invalid', () => {
    process.env.HOSTAPP_QUEUE = 'Bad--Name';
    const only = app.functions.filter((fn) => fn.name === 'queueRecord');
    expect(() => startQueueListeners({ app: { ...app, functions: only }, hostConfig, log, env: process.env })).toThrow(
      /queueRecord.*bad--name/,
    );
  });
});

describe('queue output bindings', () => {
  it('writes an array as one message per element and a returned object as JSON', async () => {
    const source = uniqueQueue('src');
    const arrayQueue = queues.getQueueClient(uniqueQueue('arr'));
    const objectQueue = queues.getQueueClient(uniqueQueue('obj'));
    Object.assign(process.env, {
      HOSTAPP_OUTPUT_SOURCE: source,
      HOSTAPP_OUTPUT_ARRAY: arrayQueue.name.toUpperCase(),
      HOSTAPP_OUTPUT_OBJECT: objectQueue.name,
    });
    await queues.getQueueClient(source).create();
    const only = app.functions.filter((fn) => fn.name === 'queueOutputs');
    stopListeners = startQueueListeners({ app: { ...app, functions: only }, hostConfig, log, env: process.env }).stop;

    await queues.getQueueClient(source).sendMessage(b64(JSON.stringify({ items: ['a', { b: 1 }, 3], echo: 'hello' })));

    const arrayMessages = await waitFor(async () => {
      const texts = await messagesIn(arrayQueue);
      return texts.length === 3 ? texts : undefined;
    }, 'the array output');
    expect(arrayMessages.map(unb64).sort()).toEqual(['3', 'a', '{"b":1}']);
    const objectMessages = await waitFor(async () => {
      const texts = await messagesIn(objectQueue);
      return texts.length ? texts : undefined;
    }, 'the object output');
    expect(objectMessages.map(unb64)).toEqual(['{"echo":"hello"}']);
  });

  it("wakes this process's listener of the queue it wrote to", async () => {
    const fn = app.functions.find((f) => f.name === 'queueOutputs');
    if (!fn) throw new Error('queueOutputs not registered');
    const target = queues.getQueueClient(uniqueQueue('wake'));
    let woken = 0;
    const unregister = registerQueueListener(target.url, () => void (woken += 1));
    try {
      await writeQueueOutputs(fn, { returnValue: { json: '{"x":1}' } }, { ...process.env, HOSTAPP_OUTPUT_OBJECT: target.name });
    } finally {
      unregister();
    }
    expect(woken).toBe(1);
    expect((await messagesIn(target)).map(unb64)).toEqual(['{"x":1}']);
  });

  it('writes a string as is and creates the queue; rejects an invalid queue name', async () => {
    const fn = app.functions.find((f) => f.name === 'queueOutputs');
    if (!fn) throw new Error('queueOutputs not registered');
    const objectQueue = queues.getQueueClient(uniqueQueue('str'));
    const env = { ...process.env, HOSTAPP_OUTPUT_OBJECT: objectQueue.name };
    await writeQueueOutputs(fn, { returnValue: { string: 'just text' } }, env);
    expect((await messagesIn(objectQueue)).map(unb64)).toEqual(['just text']);

    await expect(writeQueueOutputs(fn, { returnValue: { string: 'x' } }, { ...env, HOSTAPP_OUTPUT_OBJECT: '-bad' })).rejects.toThrow(
      /Invalid queue name '-bad'/,
    );
  });
});
