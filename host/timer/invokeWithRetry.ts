/**
 * A function-level retry policy (`retryOptions`, `fixedDelay` or `exponentialBackoff`) around one
 * timer invocation: retried up to `maxRetryCount` times (-1 = until it succeeds or the host stops).
 */
import type { RpcRetryOptions } from '../core/types.js';

type Duration = { seconds?: number | string; nanos?: number } | null | undefined;

const toMs = (d: Duration): number => (d ? Number(d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6) : 0);

/** Delay before retry number `retry` (1-based), per the policy. */
export function retryDelayMs(options: RpcRetryOptions, retry: number): number {
  if (options.retryStrategy === 'exponentialBackoff') {
    const min = toMs(options.minimumInterval);
    const max = toMs(options.maximumInterval);
    return Math.min(max || Infinity, min * 2 ** (retry - 1));
  }
  return toMs(options.delayInterval);
}

/**
 * Runs `attempt` until it succeeds, the retries are used up, or `shouldStop()`; rejects with the
 * last error. `onRetry` reports each failed attempt that will be retried.
 */
export async function invokeWithRetry(
  attempt: () => Promise<void>,
  options: RpcRetryOptions | undefined,
  hooks: { sleep(ms: number): Promise<void>; shouldStop(): boolean; onRetry(error: unknown, retry: number, delayMs: number): void },
): Promise<void> {
  const maxRetries = options?.maxRetryCount ?? 0;
  for (let retry = 1; ; retry++) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (!options || (maxRetries !== -1 && retry > maxRetries) || hooks.shouldStop()) throw error;
      const delayMs = retryDelayMs(options, retry);
      hooks.onRetry(error, retry, delayMs);
      await hooks.sleep(delayMs);
      if (hooks.shouldStop()) throw error;
    }
  }
}
