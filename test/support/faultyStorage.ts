/**
 * A fault-injecting proxy (`scripts/storageProxy.ts`) in front of a test's Azurite, per service (blob,
 * queue, table) forwarding to Azurite, answering a given fraction of requests with a fault instead —
 * 503 ServerBusy or 500 InternalError before the request reaches storage, a reset connection, or a
 * 500 after storage carried the request out (the answer is lost, the effect is not) — and able to
 * pause storage for a while (requests arriving meanwhile wait, then go through). The app under test
 * gets the proxy's connection string; the test itself reads storage directly.
 */
import { startStorageProxy, type ProxyVerdict } from '../../scripts/storageProxy.js';
import type { Random } from '../../host/faults/seededRandom.js';

export type StorageFault = 'serverBusy' | 'internalError' | 'reset' | 'lostAnswer';

export const STORAGE_FAULTS: readonly StorageFault[] = ['serverBusy', 'internalError', 'reset', 'lostAnswer'];

export interface FaultyStorageOptions {
  /** Ports of the Azurite behind the proxy. */
  target: { blobPort: number; queuePort: number; tablePort: number };
  /** Fraction of requests answered with a fault (0 = none). */
  faultRate: number;
  /** The faults to choose from, uniformly (default all). */
  faults?: readonly StorageFault[];
  random: Random;
}

export interface FaultyStorage {
  /** Azurite's connection string with the proxy's endpoints. */
  connectionString: string;
  /** Changes the fault rate from now on. */
  setFaultRate(rate: number): void;
  /** Answers the next request with `fault`, whatever the rate. */
  failNext(fault: StorageFault): void;
  /** Holds every request for `ms`, then lets them through; resolves when the pause is over. */
  pause(ms: number): Promise<void>;
  /** Requests seen and faults injected, by kind. */
  counts(): { requests: number; paused: number } & Record<StorageFault, number>;
  close(): Promise<void>;
}

export async function startFaultyStorage(options: FaultyStorageOptions): Promise<FaultyStorage> {
  const choices = options.faults ?? STORAGE_FAULTS;
  let faultRate = options.faultRate;
  let pausedUntil: Promise<void> | undefined;
  let next: StorageFault | undefined;
  const tally = { requests: 0, paused: 0, serverBusy: 0, internalError: 0, reset: 0, lostAnswer: 0 };

  const chooseFault = (): StorageFault | undefined => {
    if (next) {
      const chosen = next;
      next = undefined;
      return chosen;
    }
    if (faultRate <= 0 || options.random() >= faultRate) return undefined;
    return choices[Math.floor(options.random() * choices.length)];
  };

  const verdict = (): ProxyVerdict => {
    const fault = chooseFault();
    if (fault) tally[fault]++;
    if (fault === 'reset') return { kind: 'reset' };
    if (fault === 'serverBusy') return { kind: 'error', status: 503, code: 'ServerBusy' };
    if (fault === 'internalError') return { kind: 'error', status: 500, code: 'InternalError' };
    return { kind: 'forward', loseAnswer: fault === 'lostAnswer' };
  };

  const proxy = await startStorageProxy({
    target: options.target,
    decide() {
      tally.requests++;
      if (!pausedUntil) return verdict();
      tally.paused++;
      return pausedUntil.then(verdict);
    },
  });

  return {
    connectionString: proxy.connectionString,
    setFaultRate(rate) {
      faultRate = rate;
    },
    failNext(fault) {
      next = fault;
    },
    async pause(ms) {
      const over = new Promise<void>((resolve) => setTimeout(resolve, ms));
      pausedUntil = over;
      await over;
      pausedUntil = undefined;
    },
    counts: () => ({ ...tally }),
    close: () => proxy.close(),
  };
}
