/** The plain JSON state of a replication cycle, persisted by the caller between steps. */

/**
 * How a disk's chunks are chosen and compared:
 * - `full`: initial copy of every allocated chunk of the source and every chunk the target held before
 *   (zero chunks cleared, or skipped when the target was created empty for the cycle);
 * - `changeLog`: the site's change log gave the changed byte ranges; chunks whose hash equals the
 *   previous point's manifest are skipped, else only the logged ranges are uploaded;
 * - `pageRanges`: no usable log; every allocated chunk (and every chunk of the previous manifest) is
 *   hashed and compared with the previous manifest, differing chunks uploaded whole;
 * - `hashCompare`: every chunk of source and target is hashed and compared (resync, repair, re-protect).
 */
export type DiskCopyMode = 'full' | 'changeLog' | 'pageRanges' | 'hashCompare';

export interface CycleDisk {
  diskId: string;
  sizeBytes: number;
  /** Source snapshot, in the source account. */
  source: { container: string; blobName: string; snapshot: string };
  /** Target page blob, in the engine's target container. */
  targetBlob: string;
  mode: DiskCopyMode;
  /** Previous point's manifest (changeLog / pageRanges). */
  baseManifest?: string;
  /** Plan pages written for this disk. */
  pages: number;
  bytesTotal: number;
  /** The target carries this cycle's in-progress marker. */
  marked: boolean;
  /** The target was created empty by this cycle's planning (a full copy skips zero chunks). */
  fresh?: boolean;
}

export interface CycleCounters {
  /** Bytes of the plan (changed or allocated), for progress. */
  bytesTotal: number;
  bytesDone: number;
  bytesRead: number;
  /** Bytes written to targets with Put Page (the upload cost). */
  bytesUploaded: number;
  /** Bytes cleared on targets (zero chunks). */
  bytesCleared: number;
  chunksHashed: number;
  chunksUploaded: number;
  chunksUnchanged: number;
  steps: number;
}

export interface CycleState extends CycleCounters {
  version: 1;
  kind: 'initial' | 'delta' | 'resync';
  /** Deterministic from the item and the source snapshots: re-planning gives the same id. */
  cycleId: string;
  itemKey: string;
  vmId?: string;
  /** Source checkpoint time (ISO), seq and consistency. */
  time: string;
  seq: number;
  applicationConsistent: boolean;
  /** A lease the caller holds on the targets (e.g. the fence lease); else the engine leases them per cycle. */
  leaseId?: string;
  disks: CycleDisk[];
  cursor: { disk: number; page: number; index: number; offset: number };
  /** All planned bytes processed: ready for finishCycle. */
  copied: boolean;
  /** Set by finishCycle. */
  pointId?: string;
}

/** Progress of a cycle's copy in percent: at most 99 until the point is recorded. */
export function copyPercent(state: Pick<CycleState, 'bytesDone' | 'bytesTotal'>): number {
  return state.bytesTotal === 0 ? 99 : Math.min(99, Math.floor((state.bytesDone / state.bytesTotal) * 100));
}
