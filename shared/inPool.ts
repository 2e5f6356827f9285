/** Bounded concurrency over a list (p-limit underneath). */
import pLimit from 'p-limit';

/** Runs `work` over `items` with at most `limit` in flight; rejects with the first failure. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const run = pLimit(Math.max(1, limit));
  await Promise.all(items.map((item) => run(() => work(item))));
}
