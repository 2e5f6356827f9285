/**
 * Where runbook actions of recovery plans talk to their workers: the action's message goes to the
 * storage queue its `runbookId` names (base64 JSON, as a Functions queue trigger reads it), and the
 * worker answers on `recovery-plan-action-replies` with the message's `correlationId`.
 */
import type { JsonQueues } from '../storage/jsonQueues.js';

/** The queue workers answer runbook actions on. */
export const RUNBOOK_REPLIES_QUEUE = 'recovery-plan-action-replies';

export interface RunbookQueues {
  send(queueName: string, message: unknown): Promise<void>;
}

export function createRunbookQueues(queues: JsonQueues): RunbookQueues {
  return {
    async send(queueName, message) {
      // The answers' queue exists before a worker could answer on it.
      await queues.ensure(RUNBOOK_REPLIES_QUEUE);
      await queues.send(queueName, message);
    },
  };
}
