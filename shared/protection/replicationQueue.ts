/**
 * The queue of replication chain messages: ids, the chain's generation and the token it expects,
 * and the `traceparent` (W3C) of the span that sent it when one was active.
 */
import { encodeQueueMessage } from '../storage/jsonQueues.js';
import { traceparentField, withTraceparent } from '../tracing/traceparent.js';
import type { QueueServiceClient } from '@azure/storage-queue';
import { z } from 'zod';

/** Queue of replication chain messages. */
export const REPLICATION_QUEUE = 'replication';

export const replicationMessageSchema = z.object({
  type: z.literal('replicate'),
  vault: z.object({ subscriptionId: z.string(), resourceGroupName: z.string(), vaultName: z.string() }),
  fabricName: z.string(),
  containerName: z.string(),
  itemName: z.string(),
  generation: z.number().int().nonnegative(),
  token: z.string(),
  traceparent: traceparentField,
});

export type ReplicationMessage = z.infer<typeof replicationMessageSchema>;

export interface ReplicationQueue {
  /** Creates the queue when missing. */
  ensure(): Promise<void>;
  /** Sends a chain message (base64 JSON, as the host's queue trigger expects), visible after `delayMs`. */
  send(message: ReplicationMessage, delayMs?: number): Promise<void>;
}

/** Queue visibility is capped at 7 days; cycles are due far sooner. */
const MAX_DELAY_SECONDS = 7 * 24 * 3600;

export function createReplicationQueue(queues: QueueServiceClient, name = REPLICATION_QUEUE): ReplicationQueue {
  const queue = queues.getQueueClient(name);
  return {
    async ensure() {
      await queue.createIfNotExists();
    },
    async send(message, delayMs = 0) {
      const text = encodeQueueMessage(withTraceparent(message));
      await queue.sendMessage(text, { visibilityTimeout: Math.min(Math.ceil(Math.max(0, delayMs) / 1000), MAX_DELAY_SECONDS) });
    },
  };
}
