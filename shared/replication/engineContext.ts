/** What the replication engine's parts share: where they read, where they write, and the points. */
import type { DiskSource } from './diskSource.js';
import type { ManifestCache } from './manifestCache.js';
import type { RecoveryPointStore } from './recoveryPointStore.js';
import type { ReplicaTarget } from './replicaTarget.js';

export interface EngineContext {
  source: DiskSource;
  target: ReplicaTarget;
  points: RecoveryPointStore;
  manifests: ManifestCache;
  /** Reads/writes in flight per step. */
  concurrency: number;
}
