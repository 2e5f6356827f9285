/** What the replication engine reads from: a site's VM disks as a checkpoint holds them. */
import type { ByteRange } from '../site/byteRanges.js';
import type { ChangedRanges, CheckpointDisk } from '../site/types.js';

/** A source disk at a checkpoint (the site's `CheckpointDisk`). */
export type SourceDisk = CheckpointDisk;

/** A consistent source point (the site's `Checkpoint` fits). */
export interface SourceCheckpoint {
  vmId?: string;
  time: string;
  seq: number;
  applicationConsistent: boolean;
  disks: SourceDisk[];
}

export interface DiskSource {
  /** Ranges of a checkpoint disk that may hold data (the rest reads as zeros), merged. */
  allocatedRangesAt: (disk: SourceDisk) => Promise<ByteRange[]>;
  /** Bytes of a checkpoint disk. */
  readAt: (disk: SourceDisk, offset: number, length: number) => Promise<Buffer>;
  /** The site's change tracking between two points of the VM's history, when it has any. */
  readChangeLog?: (vmId: string, afterSeq: number, uptoSeq: number) => Promise<ChangedRanges>;
}
