/**
 * Where runbook actions of recovery plans talk to their workers: the action's message goes to the
 * storage queue its `runbookId` names (base64 JSON, as a Functions queue trigger reads it), and the
 * worker answers on `recovery-plan-action-replies` with the message's `correlationId`.
 */
import type { QueueServiceClient } from '@azure/storage-queue';

/** The queue workers answer runbook actions on. */
export const RUNBOOK_REPLIES_QUEUE = 'recovery-plan-action-replies';

export interface RunbookQueues {
  send(queueName: string, message: unknown): Promise<void>;
}

export function createRunbookQueues(queues: QueueServiceClient): RunbookQueues {
  const created = new Map<string, Promise<unknown>>();
  let repliesReady: Promise<unknown> | undefined;
  return {
    async send(queueName, message) {
      // The answers' queue exists before a worker could answer on it.
      repliesReady ??= queues.getQueueClient(RUNBOOK_REPLIES_QUEUE).createIfNotExists().catch((error: unknown) => {
        repliesReady = undefined;
        throw error;
      });
      await repliesReady;
      const queue = queues.getQueueClient(queueName);
      let ready = created.get(queueName);
      if (!ready) {
        ready = queue.createIfNotExists().catch((error: unknown) => {
          created.delete(queueName);
          throw error;
        });
        created.set(queueName, ready);
      }
      await ready;
      await queue.sendMessage(Buffer.from(JSON.stringify(message), 'utf8').toString('base64'));
    },
  };
}
