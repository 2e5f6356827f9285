/**
 * What the automation tests use: the command queue of a service's storage, reply queues read as a
 * worker reads them (base64 JSON), and a way to send an envelope.
 */
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { CommandReply } from '../../../shared/automation/commandReplies.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import type { ProtectionVault } from '../protection/protectionFixture.js';

export const API_VERSION = '2025-08-01';

export interface Automation {
  commands: QueueClient;
  /** A new reply queue (created). */
  replyQueue(): Promise<QueueClient>;
  /** Sends an envelope (or raw text) to the command queue. */
  send(message: unknown): Promise<void>;
  /** Waits for the next message on `queue` that `accept` takes (others stay), parsed. */
  next<T = CommandReply>(queue: QueueClient, accept?: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Every message now visible on `queue`, parsed (left in place). */
  peekAll(queue: QueueClient): Promise<unknown[]>;
  queue(name: string): QueueClient;
  /** The vault's path, from `/subscriptions/`. */
  vaultPath: string;
  /** An item's path, from `/subscriptions/`. */
  itemPath(name: string): string;
}

const decode = (text: string): unknown => {
  const raw = Buffer.from(text, 'base64').toString('utf8');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
};

export async function automationOf(p: ProtectionVault): Promise<Automation> {
  const clients = createStorageClients(p.service.connectionString);
  const commands = clients.queues.getQueueClient('site-recovery-commands');
  await commands.createIfNotExists();
  const vaultPath = `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}`;
  return {
    commands,
    async replyQueue() {
      const queue = clients.queues.getQueueClient(`replies-${randomUUID().slice(0, 8)}`);
      await queue.create();
      return queue;
    },
    async send(message) {
      await commands.sendMessage(Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)).toString('base64'));
    },
    async next<T>(queue: QueueClient, accept: (message: T) => boolean = () => true, timeoutMs = 60_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 1 });
        for (const item of receivedMessageItems) {
          const message = decode(item.messageText) as T;
          if (!accept(message)) continue;
          await queue.deleteMessage(item.messageId, item.popReceipt);
          return message;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no matching message on ${queue.name} within ${timeoutMs} ms`);
    },
    async peekAll(queue) {
      if (!(await queue.exists())) return [];
      const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
      return peekedMessageItems.map((item) => decode(item.messageText));
    },
    queue: (name) => clients.queues.getQueueClient(name),
    vaultPath,
    itemPath: (name) => `${vaultPath}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${name}`,
  };
}
