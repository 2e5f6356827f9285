/**
 * Starts the timer-triggered functions (functions-host.md §7). Schedules are `%setting%`-resolved
 * and validated before anything starts, in the local time zone (`WEBSITE_TIME_ZONE`, else `TZ`,
 * else the process's). Each timer runs only while this host holds its singleton listener lock, so
 * hosts sharing a storage account never double-fire.
 */
import { blobServiceOf } from '../../shared/storage/clients.js';
import type { HostConfig } from '../core/hostConfig.js';
import type { LoadedApp } from '../core/loadApp.js';
import type { HostLog } from '../core/log.js';
import { resolveConnection, resolveSetting } from '../core/settings.js';
import { createListenerLock } from './createListenerLock.js';
import { createTimerListener } from './createTimerListener.js';
import { createTimerSchedule, firesMoreThanOncePerMinute } from './createTimerSchedule.js';
import { isTimeZone } from './formatLocalIso.js';
import { invokeWithRetry } from './invokeWithRetry.js';
import { loadSingletonOptions } from './loadSingletonOptions.js';
import { createScheduleStatusStore } from './scheduleStatusStore.js';

/** The container of the host's timer status and lock blobs. */
const hostsContainer = 'azure-webjobs-hosts';

export interface StartTimersOptions {
  app: LoadedApp;
  hostConfig: HostConfig;
  hostId: string;
  log: HostLog;
  env?: NodeJS.ProcessEnv;
}

/**
 * `WEBSITE_TIME_ZONE` (must be an IANA zone), else `TZ` when it names an IANA zone, else undefined
 * (the process's local zone, which Node already derives from a POSIX-style `TZ`).
 */
function scheduleTimeZone(env: NodeJS.ProcessEnv): string | undefined {
  const configured = env.WEBSITE_TIME_ZONE;
  if (configured) {
    if (!isTimeZone(configured)) throw new RangeError(`WEBSITE_TIME_ZONE '${configured}' is not an IANA time zone.`);
    return configured;
  }
  return env.TZ && isTimeZone(env.TZ) ? env.TZ : undefined;
}

export function startTimers(opts: StartTimersOptions): { stop: () => Promise<void> } {
  const { app, hostId, log } = opts;
  const env = opts.env ?? process.env;
  const timeZone = scheduleTimeZone(env);

  const timers = app.functions
    .filter((fn) => fn.trigger.binding.type === 'timerTrigger')
    .map((fn) => {
      const { schedule: expression, useMonitor, runOnStartup } = fn.trigger.binding;
      try {
        if (typeof expression !== 'string') throw new RangeError('A timer trigger needs a schedule.');
        const schedule = createTimerSchedule(resolveSetting(expression, env), timeZone);
        return { fn, schedule, useMonitor: useMonitor !== false && !firesMoreThanOncePerMinute(schedule), runOnStartup: runOnStartup === true };
      } catch (error) {
        throw new Error(`Function '${fn.name}': ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    });
  if (timers.length === 0) return { stop: async () => {} };

  const singleton = loadSingletonOptions(app.appDir, env);
  const container = blobServiceOf(resolveConnection(undefined, env)).getContainerClient(hostsContainer);
  const statusStore = createScheduleStatusStore(container, hostId, timeZone);

  const locks = timers.map(({ fn, schedule, useMonitor, runOnStartup }) => {
    let listener: { stop(): Promise<void> } | undefined;
    return createListenerLock({
      container,
      blobName: `locks/${hostId}/Host.Functions.${fn.name}.Listener`,
      leaseMs: singleton.listenerLockPeriodMs,
      renewIntervalMs: singleton.listenerLockRenewalIntervalMs,
      retryIntervalMs: singleton.listenerLockRecoveryPollingIntervalMs,
      log,
      onAcquired() {
        log.info(`Timer '${fn.name}' (${schedule.expression}) is running on this host.`);
        listener = createTimerListener({
          functionName: fn.name,
          schedule,
          runOnStartup,
          statusStore: useMonitor ? statusStore : undefined,
          timeZone,
          log,
          fire: (timerInfoJson, shouldStop, sleep) =>
            invokeWithRetry(
              async () => {
                await app.invoke(fn, { inputData: [{ name: fn.trigger.name, data: { json: timerInfoJson } }], triggerMetadata: {} });
              },
              fn.metadata.retryOptions,
              {
                sleep,
                shouldStop,
                onRetry: (error, retry, delayMs) =>
                  log.warn(`Timer function '${fn.name}' failed (${String(error)}); retry ${retry} in ${delayMs} ms.`),
              },
            ),
        });
      },
      async onReleased() {
        await listener?.stop();
        listener = undefined;
      },
    });
  });

  return {
    async stop() {
      await Promise.all(locks.map((lock) => lock.stop()));
    },
  };
}
