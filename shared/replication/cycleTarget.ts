/**
 * A cycle's hold on its target disks, and where it keeps its files. A replica has one writer at a
 * time: a cycle writes its disks under a lease (its own, 60 s and renewed every step, or one the
 * caller already holds, such as the original site's fence lease), and marks each disk it has begun
 * writing, so a later cycle knows the disk holds a partly applied cycle. Plans and chunk hashes live
 * beside the disks under `plans/<itemKey>/<cycleId>/`, manifests under `manifests/<itemKey>/`.
 */
import { RetryLaterError } from '../errors/RetryLaterError.js';
import { hasStatus } from '../errors/storageStatus.js';
import { leaseIdFor } from '../storage/leases.js';
import type { CycleDisk, CycleState } from './cycleState.js';
import type { ReplicaTarget } from './replicaTarget.js';

const CYCLE_LEASE_SECONDS = 60;
/** How soon a step retries when another writer holds a replica. */
const BUSY_RETRY_MS = 5_000;

type CycleRef = Pick<CycleState, 'cycleId' | 'leaseId'>;

const diskPart = (diskId: string): string => encodeURIComponent(diskId);

export const planPrefix = (state: Pick<CycleState, 'itemKey' | 'cycleId'>): string => `plans/${state.itemKey}/${state.cycleId}/`;
export const planPageName = (state: CycleState, disk: CycleDisk, page: number): string => `${planPrefix(state)}${diskPart(disk.diskId)}/p${String(page).padStart(6, '0')}.json`;
export const hashesPrefix = (state: CycleState, disk: CycleDisk): string => `${planPrefix(state)}${diskPart(disk.diskId)}/h`;
export const manifestName = (itemKey: string, diskId: string, pointId: string): string => `manifests/${itemKey}/${diskPart(diskId)}/${pointId}.bin`;

/** The lease the cycle writes under: the caller's, else the cycle's own. */
export const cycleLeaseId = (state: CycleRef): string => state.leaseId ?? leaseIdFor(`cycle:${state.cycleId}`);

/** Takes (or renews) the cycle's lease on a target disk; `RetryLaterError` when another writer holds it. */
export async function leaseDisk(target: ReplicaTarget, state: CycleRef, name: string): Promise<string> {
  const leaseId = cycleLeaseId(state);
  if (state.leaseId) return leaseId;
  if (!(await target.disk(name).acquireLease(leaseId, CYCLE_LEASE_SECONDS))) {
    throw new RetryLaterError(`Target '${name}' is being written by another replication cycle; retry later.`, BUSY_RETRY_MS);
  }
  return leaseId;
}

/**
 * Creates the target disk when missing and gives it the disk's size; true when it was created (it
 * holds nothing). Planning changes nothing else on a target: a planning step that loses its race must
 * leave the replica as the winning cycle writes it.
 */
export async function prepareDisk(target: ReplicaTarget, state: CycleRef, name: string, sizeBytes: number): Promise<boolean> {
  await target.ensure();
  const disk = target.disk(name);
  if (await disk.createIfMissing(sizeBytes)) return true;
  if ((await disk.info()).sizeBytes !== sizeBytes) await disk.resize(sizeBytes, await leaseDisk(target, state, name));
  return false;
}

/** Marks a disk as being written by the cycle (once per disk). */
export async function markDisk(target: ReplicaTarget, state: CycleState, disk: CycleDisk, leaseId: string): Promise<void> {
  if (disk.marked) return;
  await target.disk(disk.targetBlob).setCycleMark(state.cycleId, leaseId);
  disk.marked = true;
}

/**
 * Ends the cycle's hold: clears its marks (`clearMarks`: the disks now hold a whole point), releases
 * its own lease and deletes its plan.
 */
export async function releaseCycle(target: ReplicaTarget, state: CycleState, clearMarks: boolean): Promise<void> {
  for (const disk of state.disks) {
    const targetDisk = target.disk(disk.targetBlob);
    if (clearMarks && disk.marked) {
      try {
        const info = await targetDisk.info();
        if (info.cycleMark === state.cycleId) await targetDisk.setCycleMark(undefined, await leaseDisk(target, state, disk.targetBlob));
      } catch (error) {
        // Gone, or taken by another writer: the mark stays, and the next cycle compares that disk by hash.
        if (!(error instanceof RetryLaterError) && !hasStatus(error, 404, 409, 412)) throw error;
      }
    }
    if (!state.leaseId && mayHaveLeased(disk)) await targetDisk.releaseLease(cycleLeaseId(state));
  }
  // Plan pages are written for planned ranges only, and hashes for planned chunks: a cycle that
  // planned nothing has no files.
  if (state.disks.some((disk) => disk.pages > 0)) await target.deletePrefix(planPrefix(state), Number.MAX_SAFE_INTEGER);
}

/**
 * Whether the cycle may have leased the disk: copy steps lease the disks they write (those with plan
 * pages), and planning a full copy or a comparison may resize the disk under the lease; a change-log
 * or page-range disk without plan pages was never touched.
 */
const mayHaveLeased = (disk: CycleDisk): boolean => disk.pages > 0 || disk.marked || disk.mode === 'full' || disk.mode === 'hashCompare';
