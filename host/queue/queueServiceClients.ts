/** One `QueueServiceClient` per connection, shared by the trigger and the output binding. */
import type { QueueServiceClient } from '@azure/storage-queue';
import { queueServiceOf } from '../../shared/storage/clients.js';
import { connectionKey, type StorageConnection } from '../../shared/storage/storageConnection.js';

const clients = new Map<string, QueueServiceClient>();

/** Returns the (cached) queue service client of a resolved connection. */
export function getQueueServiceClient(connection: StorageConnection): QueueServiceClient {
  const key = connectionKey(connection);
  let client = clients.get(key);
  if (!client) {
    client = queueServiceOf(connection);
    clients.set(key, client);
  }
  return client;
}
