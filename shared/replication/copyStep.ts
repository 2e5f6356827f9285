/**
 * One bounded step of a cycle's copy: the next ≈budget bytes of the plan are read from the source,
 * hashed per chunk, compared (with the previous manifest, or the target itself when resyncing) and
 * only what differs is written, under the cycle's lease. The step writes the hashes it computed next
 * to the plan, so the finish can fold them into the point's manifest. Re-running a step rewrites the
 * same bytes.
 */
import { hasStatus } from '../errors/storageStatus.js';
import type { ByteRange } from '../site/byteRanges.js';
import { inPool } from '../inPool.js';
import { CHUNK_SIZE, hashChunk, ZERO_HASH } from './chunks.js';
import { CycleEndedError } from './CycleEndedError.js';
import { cycleLeaseId, hashesPrefix, leaseDisk, markDisk, planPageName } from './cycleTarget.js';
import type { CycleDisk, CycleState } from './cycleState.js';
import type { EngineContext } from './engineContext.js';
import { encodeHashUpdates } from './manifest.js';
import { sourceOf } from './planCycle.js';
import { recoveryPointId } from './recoveryPoint.js';

const MAX_IO = 4 * 1024 * 1024;

interface StepChunk {
  disk: number;
  chunk: number;
  pieces: ByteRange[];
}

interface Write {
  offset: number;
  length: number;
  clear: boolean;
}

/** A plan page; its plan is deleted once the cycle ended. */
async function downloadPlanPage(ctx: EngineContext, state: CycleState, name: string): Promise<Buffer> {
  try {
    return await ctx.target.download(name);
  } catch (error) {
    if (hasStatus(error, 404)) throw new CycleEndedError(state.cycleId);
    throw error;
  }
}

/** Collects the chunks of the next step from the plan, advancing the cursor. */
async function collect(ctx: EngineContext, state: CycleState, budgetBytes: number): Promise<StepChunk[]> {
  const chunks: StepChunk[] = [];
  const pageCache = new Map<string, Array<[number, number]>>();
  const cursor = state.cursor;
  for (;;) {
    const disk = state.disks[cursor.disk];
    if (!disk) {
      state.copied = true;
      return chunks;
    }
    if (cursor.page >= disk.pages) {
      Object.assign(cursor, { disk: cursor.disk + 1, page: 0, index: 0, offset: 0 });
      continue;
    }
    const name = planPageName(state, disk, cursor.page);
    let page = pageCache.get(name);
    if (!page) {
      page = JSON.parse((await downloadPlanPage(ctx, state, name)).toString('utf8')) as Array<[number, number]>;
      pageCache.set(name, page);
    }
    const range = page[cursor.index];
    if (!range) {
      cursor.page++;
      cursor.index = 0;
      cursor.offset = 0;
      continue;
    }
    const position = range[0] + cursor.offset;
    const rangeEnd = range[0] + range[1];
    const chunk = Math.floor(position / CHUNK_SIZE);
    const last = chunks.at(-1);
    const sameChunk = last !== undefined && last.disk === cursor.disk && last.chunk === chunk;
    if (!sameChunk && chunks.length > 0 && chunks.length * CHUNK_SIZE >= budgetBytes) return chunks;
    const pieceEnd = Math.min(rangeEnd, (chunk + 1) * CHUNK_SIZE);
    const piece = { offset: position, length: pieceEnd - position };
    if (sameChunk) last.pieces.push(piece);
    else chunks.push({ disk: cursor.disk, chunk, pieces: [piece] });
    state.bytesDone += piece.length;
    if (pieceEnd >= rangeEnd) {
      cursor.index++;
      cursor.offset = 0;
    } else {
      cursor.offset = pieceEnd - range[0];
    }
  }
}

function mergeWrites(writes: Write[]): Write[] {
  const merged: Write[] = [];
  for (const write of writes.sort((a, b) => a.offset - b.offset)) {
    const last = merged.at(-1);
    if (last && last.clear === write.clear && last.offset + last.length === write.offset && last.length + write.length <= MAX_IO) last.length += write.length;
    else merged.push({ ...write });
  }
  return merged;
}

/** Reads, hashes and writes one run of consecutive chunks of a disk. */
async function processRun(ctx: EngineContext, state: CycleState, disk: CycleDisk, run: StepChunk[], leaseId: string, updates: Array<[number, Buffer]>): Promise<void> {
  const first = run[0];
  const lastChunk = run.at(-1);
  if (!first || !lastChunk) return;
  const runStart = first.chunk * CHUNK_SIZE;
  const runEnd = Math.min(disk.sizeBytes, (lastChunk.chunk + 1) * CHUNK_SIZE);
  const length = runEnd - runStart;
  const target = ctx.target.disk(disk.targetBlob);
  const [data, targetData] = await Promise.all([
    ctx.source.readAt(sourceOf(disk), runStart, length),
    disk.mode === 'hashCompare' ? target.read(runStart, length) : Promise.resolve(undefined),
  ]);
  state.bytesRead += length * (targetData ? 2 : 1);
  const base = disk.baseManifest && (disk.mode === 'changeLog' || disk.mode === 'pageRanges') ? await ctx.manifests.load(ctx.target, disk.baseManifest) : undefined;
  const writes: Write[] = [];
  for (const item of run) {
    const start = item.chunk * CHUNK_SIZE - runStart;
    const end = Math.min(length, start + CHUNK_SIZE);
    const hash = hashChunk(data.subarray(start, end));
    const zero = hash === ZERO_HASH;
    updates.push([item.chunk, hash]);
    state.chunksHashed++;
    let changed: boolean;
    // A full copy writes every planned chunk (a zero one clears what the target held there), and
    // only non-zero ones into a target created empty.
    if (disk.mode === 'full') changed = !(zero && disk.fresh);
    else if (targetData) changed = !hashChunk(targetData.subarray(start, end)).equals(hash);
    else changed = !(base?.chunks.get(item.chunk) ?? ZERO_HASH).equals(hash);
    if (!changed) {
      state.chunksUnchanged++;
      continue;
    }
    state.chunksUploaded++;
    if (disk.mode === 'changeLog') for (const piece of item.pieces) writes.push({ offset: piece.offset, length: piece.length, clear: false });
    else writes.push({ offset: runStart + start, length: end - start, clear: zero });
  }
  for (const write of mergeWrites(writes)) {
    if (write.clear) {
      await target.clearPages(write.offset, write.length, leaseId);
      state.bytesCleared += write.length;
    } else {
      const at = write.offset - runStart;
      await target.writePages(data.subarray(at, at + write.length), write.offset, leaseId);
      state.bytesUploaded += write.length;
    }
  }
}

/** Groups a step's chunks into runs of consecutive chunks of one disk (at most MAX_IO each). */
function runsOf(chunks: readonly StepChunk[]): Array<{ disk: number; chunks: StepChunk[] }> {
  const runs: Array<{ disk: number; chunks: StepChunk[] }> = [];
  for (const item of chunks) {
    const run = runs.at(-1);
    const tail = run?.chunks.at(-1);
    if (run && tail && run.disk === item.disk && tail.chunk + 1 === item.chunk && run.chunks.length * CHUNK_SIZE < MAX_IO) run.chunks.push(item);
    else runs.push({ disk: item.disk, chunks: [item] });
  }
  return runs;
}

/**
 * Whether the cycle has ended: its point is recorded (the finish records it before releasing the
 * lease) or its plan is gone (given up). Checked under the lease, so a step that passes writes either
 * before the finish's snapshot (the same bytes the step's first run wrote) or not at all (the finish
 * releases the lease, and the write needs it).
 */
async function cycleEnded(ctx: EngineContext, state: CycleState): Promise<boolean> {
  if (await ctx.points.get(state.itemKey, recoveryPointId(state.time, state.cycleId))) return true;
  const planned = state.disks.find((d) => d.pages > 0);
  return planned !== undefined && !(await ctx.target.fileExists(planPageName(state, planned, 0)));
}

/** Processes the next ≈budgetBytes of source data; returns the new state (`copied` when done). */
export async function copyStep(ctx: EngineContext, input: CycleState, budgetBytes: number): Promise<CycleState> {
  const state = structuredClone(input);
  if (state.copied) return state;
  const reads = state.disks.some((d) => d.mode === 'hashCompare') ? 2 : 1;
  const chunks = await collect(ctx, state, Math.max(CHUNK_SIZE, budgetBytes / reads));
  const touched = [...new Set(chunks.map((c) => c.disk))];
  const leases = new Map<number, string>();
  for (const index of touched) {
    const disk = state.disks[index];
    if (disk) leases.set(index, await leaseDisk(ctx.target, state, disk.targetBlob));
  }
  // A late duplicate of a step may take the cycle's lease again after the cycle ended (the finish
  // released it): it must not write over what later cycles wrote.
  if (leases.size > 0 && (await cycleEnded(ctx, state))) {
    if (!state.leaseId) for (const index of leases.keys()) await ctx.target.disk(state.disks[index]!.targetBlob).releaseLease(cycleLeaseId(state));
    throw new CycleEndedError(state.cycleId);
  }
  for (const [index, leaseId] of leases) await markDisk(ctx.target, state, state.disks[index]!, leaseId);
  const updates = new Map<number, Array<[number, Buffer]>>(touched.map((index) => [index, []]));
  await inPool(runsOf(chunks), ctx.concurrency, async (run) => {
    const disk = state.disks[run.disk];
    const leaseId = leases.get(run.disk);
    const list = updates.get(run.disk);
    if (disk && leaseId && list) await processRun(ctx, state, disk, run.chunks, leaseId, list);
  });
  for (const [index, list] of updates) {
    const disk = state.disks[index];
    const first = list.sort((a, b) => a[0] - b[0])[0];
    if (!disk || !first) continue;
    await ctx.target.upload(`${hashesPrefix(state, disk)}${String(first[0]).padStart(10, '0')}.bin`, encodeHashUpdates(list));
  }
  state.steps++;
  if (!state.copied && state.cursor.disk >= state.disks.length) state.copied = true;
  return state;
}
