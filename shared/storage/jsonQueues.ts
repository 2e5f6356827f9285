/**
 * Storage queues of the app's account that the service writes JSON messages to (base64, as a
 * Functions queue trigger reads them): runbook actions, command replies, events. Each queue is
 * created on its first message in a process.
 */
import type { QueueServiceClient } from '@azure/storage-queue';

export interface JsonQueues {
  /** Creates `queueName` if it does not exist (once per process). */
  ensure(queueName: string): Promise<void>;
  /** Sends `message` as base64 JSON to `queueName`, creating the queue first if needed. */
  send(queueName: string, message: unknown): Promise<void>;
  /** Sends `message` to become visible after `delaySeconds` (at most 7 days). */
  sendLater(queueName: string, message: unknown, delaySeconds: number): Promise<void>;
}

/** A message as a Functions queue trigger with the default `messageEncoding` (base64) reads it. */
export function encodeQueueMessage(message: unknown): string {
  return Buffer.from(typeof message === 'string' ? message : JSON.stringify(message), 'utf8').toString('base64');
}

export function createJsonQueues(queues: QueueServiceClient): JsonQueues {
  const created = new Map<string, Promise<void>>();
  const ensure = (queueName: string): Promise<void> => {
    let ready = created.get(queueName);
    if (!ready) {
      ready = queues
        .getQueueClient(queueName)
        .createIfNotExists()
        .then(
          () => undefined,
          (error: unknown) => {
            created.delete(queueName);
            throw error;
          },
        );
      created.set(queueName, ready);
    }
    return ready;
  };
  return {
    ensure,
    async send(queueName, message) {
      await ensure(queueName);
      await queues.getQueueClient(queueName).sendMessage(encodeQueueMessage(message));
    },
    async sendLater(queueName, message, delaySeconds) {
      await ensure(queueName);
      await queues.getQueueClient(queueName).sendMessage(encodeQueueMessage(message), { visibilityTimeout: Math.min(Math.max(0, Math.ceil(delaySeconds)), 7 * 24 * 3600) });
    },
  };
}
