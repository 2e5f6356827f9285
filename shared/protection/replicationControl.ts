/**
 * Starting and stopping an item's replication chain. The record changes are pure (written by the
 * caller in its conditional write); sending the chain's message and cleaning up a cycle a restart
 * interrupted happen after the write.
 */
import { randomUUID } from 'node:crypto';
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import type { CycleState } from '../replication/cycleState.js';
import type { SiteAdapter } from '../site/SiteAdapter.js';
import type { ProtectedItemRecord } from './protectedItemRecord.js';
import { replicationEndpoints } from './replicationEndpoints.js';
import type { ReplicationMessage } from './replicationQueue.js';

/** Starts (or restarts) replication in the item's current direction. Pure. */
export function beginReplication(record: ProtectedItemRecord, now: Date, options: { resync?: boolean } = {}): ProtectedItemRecord {
  const at = now.toISOString();
  const previous = record.replication;
  return {
    ...record,
    replication: {
      ...previous,
      generation: previous.generation + 1,
      token: randomUUID(),
      previousToken: undefined,
      active: true,
      cycle: undefined,
      nextCycleAt: at,
      touchedAt: at,
      startedAt: options.resync ? previous.startedAt : at,
      pendingResync: options.resync ? true : undefined,
      initialReplicationPercent: options.resync ? previous.initialReplicationPercent : 0,
      lastCycleError: undefined,
    },
  };
}

/** Stops replication: in-flight messages become stale. Pure. The caller abandons `cycle` if set. */
export function stopReplication(record: ProtectedItemRecord, now: Date): ProtectedItemRecord {
  return {
    ...record,
    replication: {
      ...record.replication,
      generation: record.replication.generation + 1,
      token: randomUUID(),
      previousToken: undefined,
      active: false,
      cycle: undefined,
      touchedAt: now.toISOString(),
    },
  };
}

/** The chain message the record's current token expects. */
export function messageFor(vault: VaultRef, record: ProtectedItemRecord): ReplicationMessage {
  return {
    type: 'replicate',
    vault: { subscriptionId: vault.subscriptionId, resourceGroupName: vault.resourceGroupName, vaultName: vault.vaultName },
    fabricName: record.fabricName,
    containerName: record.containerName,
    itemName: record.name,
    generation: record.replication.generation,
    token: record.replication.token,
  };
}

/** Enqueues the chain message for the record's current token (after the row was written). */
export async function kickReplication(deps: Pick<Deps, 'ready' | 'replicationQueue'>, vault: VaultRef, record: ProtectedItemRecord, delayMs = 0): Promise<void> {
  await deps.ready();
  await deps.replicationQueue.send(messageFor(vault, record), delayMs);
}

/** Tags the source checkpoints replication takes, so those a crash left behind can be found. */
export const REPLICATION_CHECKPOINT_TAG = 'replication';

/** Cleans up a cycle that stopped part way: its plan and lease at the target, its snapshots at the source. */
export async function abandonCycle(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, cycle: CycleState): Promise<void> {
  const ends = replicationEndpoints(deps, vault, record);
  await ends.engine.abandonCycle(cycle);
  await deleteCycleCheckpoint(ends.source, cycle);
}

/** Deletes the source snapshots a cycle was planned from (a quiet cycle has none). */
export async function deleteCycleCheckpoint(source: Pick<SiteAdapter, 'deleteCheckpoint'>, cycle: CycleState): Promise<void> {
  const disks = cycle.disks
    .filter((disk) => disk.source.snapshot)
    .map((disk) => ({ diskId: disk.diskId, sizeBytes: disk.sizeBytes, container: disk.source.container, blobName: disk.source.blobName, snapshot: disk.source.snapshot }));
  if (disks.length > 0) await source.deleteCheckpoint({ disks });
}
