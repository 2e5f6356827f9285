/** Writing a block blob only where none exists: the first writer wins, later ones learn it was there. */
import type { BlockBlobClient, BlockBlobUploadOptions } from '@azure/storage-blob';
import { hasStatus } from '../errors/storageStatus.js';

/** Uploads `body` unless a blob exists under the name (If-None-Match `*`); true when this call wrote it. */
export async function uploadIfAbsent(blob: BlockBlobClient, body: Buffer | string, options: Omit<BlockBlobUploadOptions, 'conditions'> = {}): Promise<boolean> {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  try {
    await blob.upload(body, length, { ...options, conditions: { ifNoneMatch: '*' } });
    return true;
  } catch (error) {
    if (hasStatus(error, 409)) return false;
    throw error;
  }
}
