/**
 * The replication chain's reads of policies: every planning step needs its item's policy (interval,
 * application-consistent frequency), and a vault's items share a few policies, so a read is kept
 * for a few seconds per process. A policy update reaches the chain within that time (its next
 * cycles), as a policy update reaches ASR's protected items through a job, not at once.
 */
import { LRUCache } from 'lru-cache';
import type { VaultRef } from '../arm/resourceId.js';
import { rowKeyOf, type ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { ROW } from './rowKinds.js';

/** How long a policy read is used for. */
export const POLICY_READ_TTL_MS = 5_000;

/** What replication reads of a stored policy (a `PolicyRecord` holds these and more). */
export interface ReplicationPolicy {
  name: string;
  /** Replication cycle interval, seconds. */
  replicationInterval: number;
  /** Every how many hours a point is application-consistent (0 = never). */
  applicationConsistentSnapshotFrequencyInHours: number;
}

export interface PolicyReader {
  /** The policy, read at most every {@link POLICY_READ_TTL_MS} per process (undefined when there is none). */
  get(vault: VaultRef, policyName: string): Promise<ReplicationPolicy | undefined>;
}

export function createPolicyReader(repository: Pick<ControlPlaneRepository, 'get'>, ttlMs = POLICY_READ_TTL_MS): PolicyReader {
  // A promise per key, so concurrent steps of one process share a read in flight.
  const cache = new LRUCache<string, Promise<ReplicationPolicy | undefined>>({ max: 1_000, ttl: ttlMs });
  return {
    get(vault, policyName) {
      const partition = vaultPartition(vault);
      const key = `${partition}/${rowKeyOf(ROW.policy, policyName)}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const read = repository.get<ReplicationPolicy>(partition, ROW.policy, policyName).then((row) => row?.value);
      cache.set(key, read);
      read.catch(() => cache.delete(key));
      return read;
    },
  };
}
