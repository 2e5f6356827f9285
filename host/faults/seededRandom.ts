/** A small seeded pseudo-random generator (mulberry32 over a string hash), so a faulty run replays. */
import { createHash } from 'node:crypto';

/** Returns a number in [0, 1). */
export type Random = () => number;

export function createSeededRandom(seed: string): Random {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
