/** Exported job lists (`replicationJobs/export`): one blob per export job, read back through the API, never by SAS. */
import type { BlobServiceClient } from '@azure/storage-blob';
import { vaultPartition } from '../repos/partitions.js';
import type { VaultRef } from '../arm/resourceId.js';
import { statusOf } from '../errors/storageStatus.js';

/** The container of exports in the service's own storage. */
export const JOB_EXPORTS_CONTAINER = 'job-exports';

export interface JobExport {
  content: string;
  contentType: string;
}

export interface JobExports {
  save(vault: VaultRef, jobId: string, file: JobExport): Promise<void>;
  /** The export of that job, or `undefined`. */
  read(vault: VaultRef, jobId: string): Promise<JobExport | undefined>;
}

const blobNameOf = (vault: VaultRef, jobId: string): string => `${encodeURIComponent(vaultPartition(vault))}/${jobId}`;

export function createJobExports(blobs: BlobServiceClient): JobExports {
  const container = blobs.getContainerClient(JOB_EXPORTS_CONTAINER);
  let created: Promise<unknown> | undefined;
  return {
    async save(vault, jobId, file) {
      created ??= container.createIfNotExists();
      await created;
      await container.getBlockBlobClient(blobNameOf(vault, jobId)).upload(file.content, Buffer.byteLength(file.content), { blobHTTPHeaders: { blobContentType: file.contentType } });
    },
    async read(vault, jobId) {
      try {
        const blob = container.getBlobClient(blobNameOf(vault, jobId));
        const properties = await blob.getProperties();
        return { content: (await blob.downloadToBuffer()).toString('utf8'), contentType: properties.contentType ?? 'text/csv' };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
  };
}
