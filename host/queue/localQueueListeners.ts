/**
 * This process's queue listeners, by queue URL, so an output binding that enqueues to a queue can
 * wake the listener of that queue early; and the message encoding configured for this host.
 */
import type { QueueMessageEncoding } from './queueMessageEncoding.js';

const wakers = new Map<string, Set<() => void>>();
let encoding: QueueMessageEncoding = 'base64';

/** Registers a listener's wake-up callback for a queue URL; returns the unregister function. */
export function registerQueueListener(queueUrl: string, wake: () => void): () => void {
  let set = wakers.get(queueUrl);
  if (!set) {
    set = new Set();
    wakers.set(queueUrl, set);
  }
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0) wakers.delete(queueUrl);
  };
}

/** Wakes this process's listeners of a queue URL (no-op when none listens). */
export function wakeQueueListeners(queueUrl: string): void {
  for (const wake of wakers.get(queueUrl) ?? []) wake();
}

/** Sets the message encoding of this host (from host.json), used by output bindings. */
export function setQueueMessageEncoding(value: QueueMessageEncoding): void {
  encoding = value;
}

/** The message encoding of this host (`base64` until configured). */
export function getQueueMessageEncoding(): QueueMessageEncoding {
  return encoding;
}
