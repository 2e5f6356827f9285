import { createHash } from 'node:crypto';

/**
 * The storage key of a Hyper-V site: a lower-case `[a-z0-9]` id of at most 40 characters, stable for a
 * vault and fabric (both compared case-insensitively, as ARM does): a slug of the fabric name for
 * readability plus 16 hex digits of a hash of both, so it is valid inside `hvsite-<siteKey>`.
 */
export function siteKeyOf(vaultId: string, fabricName: string): string {
  const slug = fabricName.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24);
  const hash = createHash('sha256').update(`${vaultId.toLowerCase()}\n${fabricName.toLowerCase()}`).digest('hex').slice(0, 16);
  return `${slug}${hash}`;
}

/** Throws a RangeError unless `siteKey` is a valid site key (`[a-z0-9]{1,40}`). */
export function assertSiteKey(siteKey: string): void {
  if (!/^[a-z0-9]{1,40}$/.test(siteKey)) throw new RangeError(`Invalid site key '${siteKey.slice(0, 50)}': expected 1-40 characters [a-z0-9].`);
}
