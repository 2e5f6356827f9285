/**
 * Ending a cycle. `finishCycle` folds the step hashes into each disk's manifest, snapshots the
 * targets and records the recovery point; every part is idempotent (an existing manifest, snapshot
 * or point is found and reused), so a re-run after a crash records the same point. `abandonCycle`
 * gives a cycle up: its lease is released and its plan deleted, and the targets stay marked, so the
 * next cycle compares them by hash.
 */
import { hashesPrefix, manifestName, releaseCycle } from './cycleTarget.js';
import type { CycleState } from './cycleState.js';
import type { EngineContext } from './engineContext.js';
import { applyHashUpdates, encodeManifest } from './manifest.js';
import { recoveryPointId, type RecoveryPoint } from './recoveryPoint.js';

/** Writes manifests, snapshots the targets and records the recovery point (idempotent). */
export async function finishCycle(ctx: EngineContext, input: CycleState): Promise<{ state: CycleState; point: RecoveryPoint }> {
  if (!input.copied) throw new Error('The cycle still has data to copy; run copyStep until copied.');
  const state = structuredClone(input);
  const pointId = recoveryPointId(state.time, state.cycleId);
  state.pointId = pointId;
  const disks: RecoveryPoint['disks'] = [];
  for (const disk of state.disks) {
    const manifestBlob = manifestName(state.itemKey, disk.diskId, pointId);
    const chunks = new Map<number, Buffer>();
    if (disk.baseManifest && (disk.mode === 'changeLog' || disk.mode === 'pageRanges')) {
      for (const [index, hash] of (await ctx.manifests.load(ctx.target, disk.baseManifest)).chunks) chunks.set(index, hash);
    }
    // Copy steps write hashes only for planned chunks: a disk without plan pages has none to list.
    if (disk.pages > 0) for await (const name of ctx.target.list(hashesPrefix(state, disk))) applyHashUpdates(chunks, await ctx.target.download(name));
    // A duplicate finish may list the hashes after another run of it recorded the point and deleted
    // them: only the first manifest written counts (it was written before any point, so before the delete).
    const manifest = { sizeBytes: disk.sizeBytes, chunks };
    const first = await ctx.target.uploadNew(manifestBlob, encodeManifest(manifest));
    if (first) ctx.manifests.remember(ctx.target, manifestBlob, manifest);
    // The manifest is written before the snapshot: a finish that wrote it is the first to reach the
    // snapshot, and need not look for one taken before.
    const snapshot = await ctx.target.disk(disk.targetBlob).snapshotForPoint(pointId, { mayExist: !first });
    disks.push({ diskId: disk.diskId, container: ctx.target.containerName, replicaBlob: disk.targetBlob, snapshot, manifestBlob, sizeBytes: disk.sizeBytes });
  }
  // A re-run after the point was recorded finds its manifests and snapshots above, and here the point
  // itself: `add` answers the row already stored (no read first, so a first run costs no lookup).
  const point = await ctx.points.add({
    id: pointId,
    itemKey: state.itemKey,
    time: state.time,
    type: state.applicationConsistent ? 'ApplicationConsistent' : 'CrashConsistent',
    seq: state.seq,
    disks,
  });
  await releaseCycle(ctx.target, state, true);
  return { state, point };
}

/** Gives a cycle up: releases its lease and deletes its plan (the targets stay marked dirty). */
export async function abandonCycle(ctx: EngineContext, state: CycleState): Promise<void> {
  await releaseCycle(ctx.target, state, false);
}
