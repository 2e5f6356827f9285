/**
 * Vitest setup file: after each test file, deletes every container, queue and table of the run's
 * Azurite. Files run one at a time, so nothing of a finished file is still in use; what it leaves
 * would otherwise stay in Azurite's memory for the rest of the run, and Azurite's blob garbage
 * collector (every 10 minutes, over every stored page range) stalls its requests for longer the
 * more is kept.
 */
import { afterAll, inject } from 'vitest';
import { createStorageClients } from '../../shared/storage/clients.js';

afterAll(async () => {
  const clients = createStorageClients(inject('storageConnectionString'));
  const deletions: Promise<unknown>[] = [];
  for await (const container of clients.blobs.listContainers()) deletions.push(clients.blobs.deleteContainer(container.name));
  for await (const queue of clients.queues.listQueues()) deletions.push(clients.queues.deleteQueue(queue.name));
  for await (const table of clients.tables.listTables()) if (table.name) deletions.push(clients.tables.deleteTable(table.name));
  await Promise.all(deletions);
});
