/**
 * Runs one timer-triggered function (webjobs `TimerListener` + `ScheduleMonitor`): with the
 * monitor, reads the status blob at start, recomputes `Next` when the schedule changed, fires once
 * with `isPastDue` when `Next` has passed; otherwise `runOnStartup` fires once. Then fires at each
 * occurrence, one invocation at a time, saving the status after each; a missed tick gives one
 * catch-up, not one per tick. Errors are logged and the schedule continues.
 */
import type { HostLog } from '../core/log.js';
import type { TimerSchedule } from './createTimerSchedule.js';
import { type ScheduleStatus, type ScheduleStatusStore, toScheduleStatusJson } from './scheduleStatusStore.js';

export interface TimerListenerOptions {
  functionName: string;
  schedule: TimerSchedule;
  runOnStartup: boolean;
  /** The schedule monitor's store, or undefined when `useMonitor` is off. */
  statusStore: ScheduleStatusStore | undefined;
  timeZone: string | undefined;
  /** Invokes the function with the TimerInfo JSON; rejects when it (and its retries) failed. */
  fire(timerInfoJson: string, shouldStop: () => boolean, sleep: (ms: number) => Promise<void>): Promise<void>;
  log: HostLog;
}

/** Longest single wait, so far-off occurrences and clock changes are re-checked. */
const maxWaitMs = 60 * 60_000;

/** Checks the stored status against the schedule; returns the status to run from and whether it is past due. */
async function checkPastDue(store: ScheduleStatusStore, name: string, schedule: TimerSchedule, now: Date) {
  const stored = await store.get(name);
  if (!stored) {
    const status: ScheduleStatus = { last: null, next: schedule.nextAfter(now), lastUpdated: now };
    await store.put(name, status);
    return { status, pastDue: false };
  }
  const basis = stored.last ?? stored.lastUpdated;
  const expectedNext = basis ? schedule.nextAfter(basis) : stored.next;
  let status = stored;
  if (expectedNext.getTime() !== stored.next.getTime()) {
    status = { last: stored.last, next: expectedNext, lastUpdated: basis };
    await store.put(name, status);
  }
  return { status, pastDue: now.getTime() > status.next.getTime() };
}

export function createTimerListener(opts: TimerListenerOptions): { stop(): Promise<void> } {
  const { functionName: name, schedule, statusStore, log } = opts;
  let stopped = false;
  let interrupt: (() => void) | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stopped) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      interrupt = done;
    });

  let status: ScheduleStatus = { last: null, next: new Date(0), lastUpdated: null };

  async function fire(invocationTime: Date, flags: { isPastDue: boolean; runOnStartup: boolean }): Promise<void> {
    const timerInfo = {
      Schedule: { AdjustForDST: schedule.adjustForDst },
      ScheduleStatus: statusStore ? toScheduleStatusJson(status, opts.timeZone) : null,
      IsPastDue: flags.isPastDue,
    };
    try {
      await opts.fire(JSON.stringify(timerInfo), () => stopped, sleep);
    } catch (error) {
      log.error(`Timer function '${name}' failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    // A tick that fired a little early counts from its scheduled time, so `Next` moves on.
    const basis = !flags.isPastDue && !flags.runOnStartup && status.next > invocationTime ? status.next : invocationTime;
    status = { last: basis, next: schedule.nextAfter(basis), lastUpdated: basis };
    if (statusStore) {
      await statusStore.put(name, status).catch((error: unknown) => log.warn(`Saving the schedule status of '${name}' failed: ${String(error)}`));
    }
  }

  const run = (async () => {
    const now = new Date();
    let pastDue = false;
    status = { last: null, next: schedule.nextAfter(now), lastUpdated: null };
    if (statusStore) {
      try {
        ({ status, pastDue } = await checkPastDue(statusStore, name, schedule, now));
      } catch (error) {
        log.warn(`Reading the schedule status of '${name}' failed: ${String(error)}`);
      }
    }
    if (stopped) return;
    if (pastDue) await fire(now, { isPastDue: true, runOnStartup: false });
    else if (opts.runOnStartup) await fire(now, { isPastDue: false, runOnStartup: true });
    while (!stopped) {
      const delay = status.next.getTime() - Date.now();
      if (delay > 0) {
        await sleep(Math.min(delay, maxWaitMs));
        continue;
      }
      await fire(new Date(), { isPastDue: false, runOnStartup: false });
    }
  })();

  return {
    async stop() {
      stopped = true;
      interrupt?.();
      await run;
    },
  };
}
