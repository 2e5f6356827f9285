/**
 * Starts one listener per queue-triggered function (functions-host.md §6). Queue names are
 * `%setting%`-resolved, lower-cased and validated, and connections resolved, before anything
 * starts, so a bad binding fails start-up with a clear error.
 */
import type { HostConfig } from '../core/hostConfig.js';
import type { LoadedApp } from '../core/loadApp.js';
import type { HostLog } from '../core/log.js';
import { resolveConnection } from '../core/settings.js';
import { createQueueListener, type QueueListener } from './createQueueListener.js';
import { createQueueMessageProcessor } from './createQueueMessageProcessor.js';
import { registerQueueListener, setQueueMessageEncoding } from './localQueueListeners.js';
import { getQueueServiceClient } from './queueServiceClients.js';
import { validateQueueName } from './validateQueueName.js';

/** Visibility taken on receipt and on each renewal: 10 minutes, as in the Storage extension. */
const defaultLeaseMs = 10 * 60_000;
const maxQueueNameLength = 63;
const poisonSuffix = '-poison';

export interface StartQueueListenersOptions {
  app: LoadedApp;
  hostConfig: HostConfig;
  log: HostLog;
  env?: NodeJS.ProcessEnv;
  /** Visibility a message gets on receipt and on each renewal (default 10 min). */
  visibilityLeaseMs?: number;
  /** How often a running invocation's message visibility is renewed (default half the lease). */
  visibilityRenewalIntervalMs?: number;
  /** Fault injection: deliver each message twice, the second this many ms after the first. */
  duplicateDeliveryDelayMs?: () => number;
}

export function startQueueListeners(opts: StartQueueListenersOptions): { stop: () => Promise<void> } {
  const env = opts.env ?? process.env;
  const { queues: config } = opts.hostConfig;
  setQueueMessageEncoding(config.messageEncoding);
  const leaseMs = opts.visibilityLeaseMs ?? defaultLeaseMs;
  const renewIntervalMs = opts.visibilityRenewalIntervalMs ?? leaseMs / 2;

  const targets = opts.app.functions
    .filter((fn) => fn.trigger.binding.type === 'queueTrigger')
    .map((fn) => {
      const { queueName, connection } = fn.trigger.binding;
      try {
        const name = validateQueueName(queueName, env);
        const service = getQueueServiceClient(resolveConnection(typeof connection === 'string' ? connection : undefined, env));
        return { fn, name, service };
      } catch (error) {
        throw new Error(`Function '${fn.name}': ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    });

  const listeners: { listener: QueueListener; unregister(): void }[] = targets.map(({ fn, name, service }) => {
    const queue = service.getQueueClient(name);
    const poisonName = name + poisonSuffix;
    const hasPoison = !name.endsWith(poisonSuffix) && poisonName.length <= maxQueueNameLength;
    const listener = createQueueListener({
      queue,
      batchSize: config.batchSize,
      newBatchThreshold: config.newBatchThreshold,
      maxPollingIntervalMs: config.maxPollingIntervalMs,
      leaseMs,
      log: opts.log,
      process: createQueueMessageProcessor({
        fn,
        invoke: opts.app.invoke,
        queue,
        poisonQueue: hasPoison ? service.getQueueClient(poisonName) : undefined,
        maxDequeueCount: config.maxDequeueCount,
        visibilityTimeoutMs: config.visibilityTimeoutMs,
        encoding: config.messageEncoding,
        leaseMs,
        renewIntervalMs,
        log: opts.log,
        duplicateDeliveryDelayMs: opts.duplicateDeliveryDelayMs,
      }),
    });
    opts.log.debug(`Function '${fn.name}' listens on queue '${name}'.`);
    return { listener, unregister: registerQueueListener(queue.url, () => listener.wake()) };
  });

  return {
    async stop() {
      for (const entry of listeners) entry.unregister();
      await Promise.all(listeners.map(({ listener }) => listener.stop()));
    },
  };
}
