import { encodeQueueMessage } from '../storage/jsonQueues.js';
import { traceparentField, withTraceparent } from '../tracing/traceparent.js';
import type { QueueClient } from '@azure/storage-queue';
import { z } from 'zod';

/** Name of the queue that carries job steps (its poison queue is `jobs-poison`). */
export const JOBS_QUEUE = 'jobs';

/**
 * A job-step message: ids only. `sequence` tells a current step from a stale duplicate;
 * `traceparent` (W3C) is the span that sent it, which the step continues.
 */
export const jobStepMessageSchema = z.object({
  type: z.literal('jobStep'),
  vaultKey: z.string().min(1),
  jobId: z.string().min(1),
  sequence: z.number().int().nonnegative().optional(),
  traceparent: traceparentField,
});

export type JobStepMessage = z.infer<typeof jobStepMessageSchema>;

/** Sends job-step messages (base64 JSON, as the host's queue trigger expects). */
export interface JobQueue {
  enqueue(message: JobStepMessage, delayMs?: number): Promise<void>;
}

/** Wraps the jobs queue client; the queue is created on first use. A message sent within a span carries its `traceparent`. */
export function createJobQueue(queue: QueueClient): JobQueue {
  let ready: Promise<unknown> | undefined;
  return {
    async enqueue(message, delayMs = 0) {
      ready ??= queue.createIfNotExists().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      await ready;
      const text = encodeQueueMessage(withTraceparent(message));
      await queue.sendMessage(text, { visibilityTimeout: Math.ceil(Math.max(0, delayMs) / 1000) });
    },
  };
}
