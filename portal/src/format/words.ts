/** Enum strings and sizes in words. */

/** `PlannedFailover` → `Planned failover`; `InProgress` → `In progress`. */
export function words(value: string | undefined): string {
  if (!value) return '';
  const spaced = value.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return spaced.charAt(0) + spaced.slice(1).toLowerCase();
}

/** A disk's size from ASR's `maxSizeMB` (a string of MiB): `64 MiB`, `1.5 GiB`. */
export function formatMiB(maxSizeMB: string | number | undefined): string {
  const mib = Number(maxSizeMB);
  if (maxSizeMB === undefined || !Number.isFinite(mib)) return '';
  if (mib < 1024) return `${mib} MiB`;
  const gib = mib / 1024;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`;
}

/** `1 item`, `3 items`. */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
