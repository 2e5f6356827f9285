/**
 * Polls one queue for one function (the Storage extension's `QueueListener`): waits until the
 * queue exists (never creates it), receives up to `batchSize` messages, processes them in
 * parallel, receives again only once in-flight ≤ `newBatchThreshold`, and backs off (randomized,
 * exponential, up to `maxPollingInterval`) while the queue is empty, missing or failing.
 */
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { HostLog } from '../core/log.js';
import { createRandomizedBackoff } from './createRandomizedBackoff.js';

export interface QueueListenerOptions {
  queue: QueueClient;
  batchSize: number;
  newBatchThreshold: number;
  maxPollingIntervalMs: number;
  /** Visibility taken on receipt (10 min in the Storage extension). */
  leaseMs: number;
  process(message: DequeuedMessageItem): Promise<void>;
  log: HostLog;
}

export interface QueueListener {
  /** Polls now instead of waiting out the back-off (an output binding just enqueued). */
  wake(): void;
  /** Stops receiving and resolves once in-flight messages are done. */
  stop(): Promise<void>;
}

const minPollingIntervalMs = 100;
const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

export function createQueueListener(opts: QueueListenerOptions): QueueListener {
  const { queue, log } = opts;
  const backoff = createRandomizedBackoff({ minMs: minPollingIntervalMs, maxMs: opts.maxPollingIntervalMs });
  const inFlight = new Set<Promise<void>>();
  let queueExists = false;
  let stopped = false;
  let woken = false;
  let interruptSleep: (() => void) | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      interruptSleep = done;
    });

  async function receive(): Promise<DequeuedMessageItem[] | undefined> {
    try {
      if (!queueExists) queueExists = await queue.exists();
      if (!queueExists) return undefined;
      const response = await queue.receiveMessages({
        numberOfMessages: opts.batchSize,
        visibilityTimeout: Math.round(opts.leaseMs / 1000),
      });
      return response.receivedMessageItems;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) queueExists = false;
      else if (status === undefined || status < 500) log.warn(`Polling queue '${queue.name}' failed: ${String(error)}`);
      return undefined;
    }
  }

  /** One poll; returns the delay before the next. */
  async function poll(): Promise<number> {
    const messages = await receive();
    if (!messages || messages.length === 0) return backoff.failed();
    for (const message of messages) {
      const processing: Promise<void> = opts.process(message).finally(() => inFlight.delete(processing));
      inFlight.add(processing);
    }
    while (inFlight.size > opts.newBatchThreshold) await Promise.race(inFlight);
    return backoff.succeeded();
  }

  const loop = (async () => {
    while (!stopped) {
      woken = false;
      const delay = await poll();
      if (stopped) break;
      if (woken) {
        backoff.succeeded();
        continue;
      }
      await sleep(delay);
    }
  })();

  return {
    wake() {
      woken = true;
      interruptSleep?.();
    },
    async stop() {
      stopped = true;
      interruptSleep?.();
      await loop;
      await Promise.all(inFlight);
    },
  };
}
