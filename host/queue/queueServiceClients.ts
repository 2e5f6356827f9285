/** One `QueueServiceClient` per connection string, shared by the trigger and the output binding. */
import { QueueServiceClient } from '@azure/storage-queue';

const clients = new Map<string, QueueServiceClient>();

/** Returns the (cached) queue service client for a resolved connection string. */
export function getQueueServiceClient(connectionString: string): QueueServiceClient {
  let client = clients.get(connectionString);
  if (!client) {
    client = QueueServiceClient.fromConnectionString(connectionString);
    clients.set(connectionString, client);
  }
  return client;
}
