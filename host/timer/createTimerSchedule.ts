/**
 * A timer trigger's schedule (webjobs `TimerSchedule.Create`): an NCRONTAB expression, else a
 * TimeSpan `[d.]hh:mm:ss` (a constant interval), else an error.
 */
import { parseTimeSpan } from '../core/parseTimeSpan.js';
import { parseNcrontab } from '../../shared/schedule/ncrontab.js';

export interface TimerSchedule {
  kind: 'cron' | 'timeSpan';
  expression: string;
  /** `Schedule.AdjustForDST` in TimerInfo: true for NCRONTAB, false for a TimeSpan. */
  adjustForDst: boolean;
  /** The first occurrence strictly after `date`. */
  nextAfter(date: Date): Date;
}

export function createTimerSchedule(expression: string, timeZone?: string): TimerSchedule {
  let cronError: unknown;
  try {
    const cron = parseNcrontab(expression, timeZone);
    return { kind: 'cron', expression, adjustForDst: true, nextAfter: (date) => cron.nextAfter(date) };
  } catch (error) {
    cronError = error;
  }
  if (/^\s*(?:\d+\.)?\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,7})?)?\s*$/.test(expression)) {
    const periodMs = parseTimeSpan(expression);
    if (periodMs <= 0) throw new RangeError(`The schedule '${expression}' is a zero TimeSpan.`);
    return { kind: 'timeSpan', expression, adjustForDst: false, nextAfter: (date) => new Date(date.getTime() + periodMs) };
  }
  throw new RangeError(
    `The schedule expression '${expression}' was not recognized as a valid NCRONTAB expression or TimeSpan string ` +
      `(${cronError instanceof Error ? cronError.message : String(cronError)}).`,
  );
}

/** True when consecutive occurrences are less than a minute apart (the schedule monitor is then off). */
export function firesMoreThanOncePerMinute(schedule: TimerSchedule, now: Date = new Date()): boolean {
  const first = schedule.nextAfter(now);
  return schedule.nextAfter(first).getTime() - first.getTime() < 60_000;
}
