/**
 * Randomized exponential back-off between polls of an empty queue (the Storage extension's
 * `RandomizedExponentialBackoffStrategy`): after k empty polls the delay is
 * `min + rand(0.8..1.2)·2^(k−1)·min`, capped at `max`; a hit resets it to `min`.
 */
export interface RandomizedBackoff {
  /** Delay after an empty poll (or a missing queue / server error). */
  failed(): number;
  /** Delay after a successful poll: back to the minimum. */
  succeeded(): number;
}

export function createRandomizedBackoff(opts: { minMs: number; maxMs: number; random?: () => number }): RandomizedBackoff {
  const random = opts.random ?? Math.random;
  const min = opts.minMs;
  const max = Math.max(opts.maxMs, min);
  let current = min;
  let exponent = 1;
  return {
    failed() {
      if (current === max) return current;
      const next = min + (0.8 + 0.4 * random()) * 2 ** (exponent - 1) * min;
      if (next < max) {
        current = next;
        exponent += 1;
      } else {
        current = max;
      }
      return current;
    },
    succeeded() {
      current = min;
      exponent = 1;
      return current;
    },
  };
}
