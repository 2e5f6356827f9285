/** Storage clients for one account: from a connection string (Azurite, an account key) or identity-based endpoints. */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { credentialOf, type StorageConnection } from './storageConnection.js';

export interface StorageClients {
  blobs: BlobServiceClient;
  queues: QueueServiceClient;
  tables: TableServiceClient;
  table(name: string): TableClient;
}

const isHttp = (connectionString: string): boolean => /(^|;)\s*(DefaultEndpointsProtocol=http|\w+Endpoint=http:)/i.test(connectionString);

/** The blob service of a connection. */
export function blobServiceOf(connection: StorageConnection): BlobServiceClient {
  return typeof connection === 'string' ? BlobServiceClient.fromConnectionString(connection) : new BlobServiceClient(connection.blobServiceUri, credentialOf(connection));
}

/** The queue service of a connection. */
export function queueServiceOf(connection: StorageConnection): QueueServiceClient {
  return typeof connection === 'string' ? QueueServiceClient.fromConnectionString(connection) : new QueueServiceClient(connection.queueServiceUri, credentialOf(connection));
}

export function createStorageClients(connection: StorageConnection): StorageClients {
  if (typeof connection === 'string') {
    const allowInsecureConnection = isHttp(connection);
    return {
      blobs: blobServiceOf(connection),
      queues: queueServiceOf(connection),
      tables: TableServiceClient.fromConnectionString(connection, { allowInsecureConnection }),
      table: (name) => TableClient.fromConnectionString(connection, name, { allowInsecureConnection }),
    };
  }
  const credential = credentialOf(connection);
  return {
    blobs: blobServiceOf(connection),
    queues: queueServiceOf(connection),
    tables: new TableServiceClient(connection.tableServiceUri, credential),
    table: (name) => new TableClient(connection.tableServiceUri, name, credential),
  };
}
