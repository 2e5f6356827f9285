/** Storage clients for one account, made from a connection string (Azurite or real Storage). */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

export interface StorageClients {
  blobs: BlobServiceClient;
  queues: QueueServiceClient;
  tables: TableServiceClient;
  table(name: string): TableClient;
}

const isHttp = (connectionString: string): boolean => /(^|;)\s*(DefaultEndpointsProtocol=http|\w+Endpoint=http:)/i.test(connectionString);

export function createStorageClients(connectionString: string): StorageClients {
  const allowInsecureConnection = isHttp(connectionString);
  return {
    blobs: BlobServiceClient.fromConnectionString(connectionString),
    queues: QueueServiceClient.fromConnectionString(connectionString),
    tables: TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection }),
    table: (name) => TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection }),
  };
}
