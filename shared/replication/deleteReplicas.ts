/** Deleting what replication wrote for an item, in bounded steps: replicas, manifests, plans, point snapshots. */
import type { EngineContext } from './engineContext.js';
import { assertItemKey } from './recoverySite.js';

/** What deleteReplicas removes besides the item's replicas, manifests and plans. */
export interface DeleteReplicasOptions {
  /** Blobs deleted per call (default 500). */
  maxBlobs?: number;
  /**
   * Target disks that are not the item's own (reverse replication: the original disks): their
   * recovery-point snapshots are deleted, the disks and their other snapshots kept.
   */
  targets?: string[];
}

/** Deletes an item's replicas (with snapshots), manifests and plans, at most maxBlobs per call; done when none is left. */
export async function deleteReplicas(ctx: EngineContext, itemKey: string, options: DeleteReplicasOptions = {}): Promise<{ done: boolean }> {
  assertItemKey(itemKey);
  let budget = options.maxBlobs ?? 500;
  if (!(await ctx.target.exists())) return { done: true };
  for (const prefix of [`replicas/${itemKey}/`, `manifests/${itemKey}/`, `plans/${itemKey}/`]) {
    const result = await ctx.target.deletePrefix(prefix, budget);
    budget -= result.deleted;
    if (!result.done || budget <= 0) return { done: false };
  }
  for (const name of options.targets ?? []) {
    const result = await ctx.target.disk(name).deletePointSnapshots(budget);
    budget -= result.deleted;
    if (!result.done) return { done: false };
  }
  return { done: true };
}
