/**
 * Processes one received queue message the way the Storage extension's `QueueProcessor` does:
 * messages already over `maxDequeueCount` (or not valid base64) go to `<queue>-poison` without an
 * invocation; success deletes the message; failure at `dequeueCount >= maxDequeueCount` moves it to
 * poison; other failures make it visible again after `visibilityTimeout`. While the function runs,
 * the message's visibility is renewed.
 */
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { LoadedApp } from '../core/loadApp.js';
import type { HostLog } from '../core/log.js';
import type { RegisteredFunction } from '../core/types.js';
import { decodeQueueMessage, type QueueMessageEncoding } from './queueMessageEncoding.js';
import { toQueueTriggerRequest } from './toQueueTriggerRequest.js';

export interface QueueMessageProcessorOptions {
  fn: RegisteredFunction;
  invoke: LoadedApp['invoke'];
  queue: QueueClient;
  /** `<queue>-poison`, or undefined when the queue has none (its name ends in `-poison` or is too long). */
  poisonQueue: QueueClient | undefined;
  maxDequeueCount: number;
  visibilityTimeoutMs: number;
  encoding: QueueMessageEncoding;
  /** Visibility taken on receipt and on each renewal. */
  leaseMs: number;
  /** How often visibility is renewed while the function runs. */
  renewIntervalMs: number;
  log: HostLog;
  /**
   * Fault injection (local host only): when set, each message is delivered a second time this many
   * ms after the first delivery started, overlapping it; the message completes once both finished.
   */
  duplicateDeliveryDelayMs?: () => number;
}

/** Returns `process(message)`, which settles once the message is deleted, poisoned or released. */
export function createQueueMessageProcessor(opts: QueueMessageProcessorOptions): (message: DequeuedMessageItem) => Promise<void> {
  const { fn, queue, poisonQueue, log } = opts;
  const seconds = (ms: number): number => Math.max(0, Math.round(ms / 1000));

  async function moveToPoison(message: DequeuedMessageItem, popReceipt: string, reason: string): Promise<void> {
    if (!poisonQueue) {
      log.warn(`Message '${message.messageId}' of queue '${queue.name}' ${reason}; the queue has no poison queue, so it is left invisible.`);
      return;
    }
    await poisonQueue.createIfNotExists();
    await poisonQueue.sendMessage(message.messageText);
    await queue.deleteMessage(message.messageId, popReceipt);
    log.warn(`Message '${message.messageId}' ${reason}; moved from queue '${queue.name}' to '${poisonQueue.name}'.`);
  }

  async function invokeWithRenewal(message: DequeuedMessageItem, text: string, receipt: { current: string }): Promise<boolean> {
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing
        .then(async () => {
          const updated = await queue.updateMessage(message.messageId, receipt.current, undefined, seconds(opts.leaseMs));
          if (updated.popReceipt) receipt.current = updated.popReceipt;
        })
        .catch((error: unknown) => log.warn(`Renewing visibility of message '${message.messageId}' failed: ${String(error)}`));
    }, opts.renewIntervalMs);
    const deliver = (): ReturnType<LoadedApp['invoke']> => opts.invoke(fn, toQueueTriggerRequest(fn.name, fn.trigger.name, message, text));
    const duplicateAfterMs = opts.duplicateDeliveryDelayMs?.();
    try {
      if (duplicateAfterMs === undefined) await deliver();
      else {
        // Both deliveries run to their end before the message is completed or released.
        const outcomes = await Promise.allSettled([deliver(), new Promise((resolve) => setTimeout(resolve, duplicateAfterMs)).then(deliver)]);
        const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        if (failed) throw failed.reason;
      }
      return true;
    } catch (error) {
      log.error(`Function '${fn.name}' failed on message '${message.messageId}' (dequeueCount ${message.dequeueCount}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return false;
    } finally {
      clearInterval(timer);
      await renewing;
    }
  }

  return async (message) => {
    const receipt = { current: message.popReceipt };
    try {
      if (message.dequeueCount > opts.maxDequeueCount) {
        await moveToPoison(message, receipt.current, `was dequeued ${message.dequeueCount} times (max ${opts.maxDequeueCount})`);
        return;
      }
      const text = decodeQueueMessage(message.messageText, opts.encoding);
      if (text === undefined) {
        await moveToPoison(message, receipt.current, 'is not valid base64');
        return;
      }
      const succeeded = await invokeWithRenewal(message, text, receipt);
      if (succeeded) {
        await queue.deleteMessage(message.messageId, receipt.current);
      } else if (message.dequeueCount >= opts.maxDequeueCount) {
        await moveToPoison(message, receipt.current, `failed ${message.dequeueCount} times (maxDequeueCount ${opts.maxDequeueCount})`);
      } else {
        await queue.updateMessage(message.messageId, receipt.current, undefined, seconds(opts.visibilityTimeoutMs));
      }
    } catch (error) {
      log.error(`Completing message '${message.messageId}' of queue '${queue.name}' failed: ${String(error)}`);
    }
  };
}
