/** A recovery point: one consistent set of replica snapshots of a protected item's disks. */

export type RecoveryPointType = 'CrashConsistent' | 'ApplicationConsistent';

export interface RecoveryPointDisk {
  diskId: string;
  /** Container of the replica (at the recovery site, or the original site for reverse replication). */
  container: string;
  replicaBlob: string;
  snapshot: string;
  manifestBlob: string;
  sizeBytes: number;
}

export interface RecoveryPoint {
  /** URL-safe; sorts newest first. */
  id: string;
  itemKey: string;
  /** ISO time of the source checkpoint. */
  time: string;
  type: RecoveryPointType;
  /** Last write of the VM's history included. */
  seq: number;
  disks: RecoveryPointDisk[];
  /** Operations that pinned this point against pruning. */
  pinnedBy?: string[];
}

const MAX_MS = 10_000_000_000_000;

/** Row-key prefix of a time: 13 digits that sort newest first. */
export function invertedTime(time: string | Date): string {
  const ms = typeof time === 'string' ? Date.parse(time) : time.getTime();
  return String(MAX_MS - ms).padStart(13, '0');
}

/** The id of a point cut at `time` by cycle `cycleId`: inverted time + a piece of the cycle id. */
export function recoveryPointId(time: string, cycleId: string): string {
  return `${invertedTime(time)}-${cycleId.slice(0, 12)}`;
}
