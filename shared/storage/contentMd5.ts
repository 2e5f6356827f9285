import { createHash } from 'node:crypto';

/**
 * MD5 of the exact bytes of one request body, for storage's transactional `Content-MD5` check: storage
 * recomputes it over what arrived and refuses the write (400 `Md5Mismatch`) when bytes changed on the way.
 */
export function contentMd5(bytes: Uint8Array): Uint8Array {
  return createHash('md5').update(bytes).digest();
}
