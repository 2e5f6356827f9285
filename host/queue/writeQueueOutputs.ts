/**
 * Queue output bindings: after a successful invocation (any trigger), writes the values of the
 * function's `queue` output bindings (from `outputData` by binding name, and from `returnValue` for
 * `$return`) as messages, creating the queue when missing, and wakes this process's listener of it.
 */
import type { QueueClient } from '@azure/storage-queue';
import type { RegisteredFunction, RpcInvocationResponse, RpcTypedData } from '../core/types.js';
import { resolveConnection } from '../core/settings.js';
import { getQueueMessageEncoding, wakeQueueListeners } from './localQueueListeners.js';
import { encodeQueueMessage } from './queueMessageEncoding.js';
import { getQueueServiceClient } from './queueServiceClients.js';
import { toQueueMessages } from './toQueueMessages.js';
import { validateQueueName } from './validateQueueName.js';

const created = new Set<string>();

async function ensureQueue(queue: QueueClient): Promise<void> {
  if (created.has(queue.url)) return;
  await queue.createIfNotExists();
  created.add(queue.url);
}

/** Sends one message; re-creates the queue once if it was deleted since it was first seen. */
async function sendMessage(queue: QueueClient, wire: string): Promise<void> {
  try {
    await queue.sendMessage(wire);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    created.delete(queue.url);
    await ensureQueue(queue);
    await queue.sendMessage(wire);
  }
}

/** Writes the queue output bindings of one invocation's response. Rejects when a write fails. */
export async function writeQueueOutputs(
  fn: RegisteredFunction,
  response: RpcInvocationResponse,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const values = new Map<string, RpcTypedData | null | undefined>();
  for (const output of response.outputData ?? []) if (output.name) values.set(output.name, output.data);
  if (response.returnValue) values.set('$return', response.returnValue);

  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (binding.direction !== 'out' || binding.type !== 'queue') continue;
    const messages = toQueueMessages(values.get(name));
    if (messages.length === 0) continue;
    const queueName = validateQueueName(binding.queueName, env);
    const connection = resolveConnection(typeof binding.connection === 'string' ? binding.connection : undefined, env);
    const queue = getQueueServiceClient(connection).getQueueClient(queueName);
    await ensureQueue(queue);
    const encoding = getQueueMessageEncoding();
    for (const text of messages) await sendMessage(queue, encodeQueueMessage(text, encoding));
    wakeQueueListeners(queue.url);
  }
}
