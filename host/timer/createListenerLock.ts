/**
 * The singleton listener lock (webjobs `SingletonManager` listener locks): a blob lease on
 * `azure-webjobs-hosts/locks/{hostId}/Host.Functions.{name}.Listener`. The holder runs the listener
 * and renews the lease; other hosts retry acquiring it periodically, so when the holder stops (or
 * dies and its lease expires) another host takes over. Stopping releases the lease.
 */
import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import type { HostLog } from '../core/log.js';

export interface ListenerLockOptions {
  container: ContainerClient;
  blobName: string;
  /** Lease duration, 15–60 s. */
  leaseMs: number;
  renewIntervalMs: number;
  /** How often a host without the lease tries to acquire it. */
  retryIntervalMs: number;
  log: HostLog;
  /** Called once the lease is held: start the listener. */
  onAcquired(): void;
  /** Called when the lease is lost or on stop: stop the listener, awaiting in-flight work. */
  onReleased(): Promise<void>;
}

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

export function createListenerLock(opts: ListenerLockOptions): { stop(): Promise<void> } {
  const { container, log } = opts;
  const blob = container.getBlockBlobClient(opts.blobName);
  const lease = blob.getBlobLeaseClient(randomUUID());
  const leaseSeconds = Math.min(60, Math.max(15, Math.round(opts.leaseMs / 1000)));
  let held = false;
  let stopped = false;
  let interrupt: (() => void) | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      interrupt = done;
    });

  async function ensureBlob(): Promise<void> {
    await container.createIfNotExists();
    try {
      await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 409 && status !== 412) throw error;
    }
  }

  async function tryAcquire(): Promise<boolean> {
    try {
      await ensureBlob();
      await lease.acquireLease(leaseSeconds);
      return true;
    } catch (error) {
      if (statusOf(error) !== 409) log.warn(`Acquiring lock '${blob.name}' failed: ${String(error)}`);
      return false;
    }
  }

  const loop = (async () => {
    while (!stopped) {
      if (!held) {
        if (await tryAcquire()) {
          held = true;
          if (stopped) break;
          log.debug(`Acquired lock '${blob.name}'.`);
          opts.onAcquired();
        } else {
          await sleep(opts.retryIntervalMs);
        }
        continue;
      }
      await sleep(opts.renewIntervalMs);
      if (stopped) break;
      try {
        await lease.renewLease();
      } catch (error) {
        held = false;
        log.warn(`Lost lock '${blob.name}': ${String(error)}`);
        await opts.onReleased();
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      interrupt?.();
      await loop;
      if (held) {
        await opts.onReleased();
        held = false;
        await lease.releaseLease().catch((error: unknown) => log.warn(`Releasing lock '${blob.name}' failed: ${String(error)}`));
      }
    },
  };
}
