/** NCRONTAB and TimeSpan schedules: next-occurrence computation (pure, no storage). */
import { describe, expect, it } from 'vitest';
import { createTimerSchedule, firesMoreThanOncePerMinute } from '../../../host/timer/createTimerSchedule.js';
import { formatLocalIso } from '../../../host/timer/formatLocalIso.js';
import { retryDelayMs } from '../../../host/timer/invokeWithRetry.js';
import { parseNcrontab } from '../../../shared/schedule/ncrontab.js';

const next = (expression: string, from: string, timeZone = 'UTC'): string =>
  parseNcrontab(expression, timeZone).nextAfter(new Date(from)).toISOString();

describe('NCRONTAB', () => {
  it('reads six fields with seconds first', () => {
    expect(next('*/5 * * * * *', '2026-03-01T10:00:03Z')).toBe('2026-03-01T10:00:05.000Z');
    expect(next('0 */5 * * * *', '2026-03-01T10:00:00Z')).toBe('2026-03-01T10:05:00.000Z');
    expect(next('0 30 9 * * *', '2026-03-01T10:00:00Z')).toBe('2026-03-02T09:30:00.000Z');
    expect(next('0 0 9-17 * * *', '2026-03-01T17:00:00Z')).toBe('2026-03-02T09:00:00.000Z');
  });

  it('reads five fields as minute-level, without seconds', () => {
    expect(next('*/15 * * * *', '2026-03-01T10:07:42Z')).toBe('2026-03-01T10:15:00.000Z');
  });

  it('is strictly after the given time', () => {
    expect(next('*/2 * * * * *', '2026-03-01T10:00:02.000Z')).toBe('2026-03-01T10:00:04.000Z');
  });

  it('takes names and requires both day and day-of-week to match', () => {
    // 2026-03-02 is a Monday.
    expect(next('0 30 9 * * Mon-Fri', '2026-02-28T00:00:00Z')).toBe('2026-03-02T09:30:00.000Z');
    expect(next('0 30 9 * Jan Mon', '2026-02-01T00:00:00Z')).toBe('2027-01-04T09:30:00.000Z');
    // Friday the 13th: February 2026.
    expect(next('0 0 0 13 * 5', '2026-01-01T00:00:00Z')).toBe('2026-02-13T00:00:00.000Z');
  });

  it('evaluates in the given time zone', () => {
    expect(next('0 0 9 * * *', '2026-07-01T00:00:00Z', 'Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(next('0 0 9 * * *', '2026-01-01T00:00:00Z', 'Europe/Berlin')).toBe('2026-01-01T08:00:00.000Z');
  });

  it('rejects what is not NCRONTAB', () => {
    expect(() => parseNcrontab('* * * *')).toThrow(/expected 5 or 6 fields/);
    expect(() => parseNcrontab('0 0 12 L * *')).toThrow(/invalid field 'L'/);
    expect(() => parseNcrontab('0 0 12 ? * MON')).toThrow(/invalid field/);
    expect(() => parseNcrontab('0 61 * * * *')).toThrow(RangeError);
  });
});

describe('timer schedules', () => {
  it('parses a TimeSpan [d.]hh:mm:ss as a constant interval', () => {
    const from = new Date('2026-03-01T10:00:00Z');
    expect(createTimerSchedule('00:00:10').nextAfter(from).toISOString()).toBe('2026-03-01T10:00:10.000Z');
    expect(createTimerSchedule('01:30:00').nextAfter(from).toISOString()).toBe('2026-03-01T11:30:00.000Z');
    expect(createTimerSchedule('1.02:00:00').nextAfter(from).toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(createTimerSchedule('00:00:10')).toMatchObject({ kind: 'timeSpan', adjustForDst: false });
    expect(createTimerSchedule('0 */5 * * * *')).toMatchObject({ kind: 'cron', adjustForDst: true });
  });

  it('rejects a schedule that is neither, and a zero TimeSpan', () => {
    expect(() => createTimerSchedule('every 5 minutes')).toThrow(/not recognized as a valid NCRONTAB expression or TimeSpan/);
    expect(() => createTimerSchedule('25:00:00')).toThrow(RangeError);
    expect(() => createTimerSchedule('00:00:00')).toThrow(/zero/);
  });

  it('knows which schedules fire more than once a minute (no schedule monitor)', () => {
    expect(firesMoreThanOncePerMinute(createTimerSchedule('*/10 * * * * *'))).toBe(true);
    expect(firesMoreThanOncePerMinute(createTimerSchedule('00:00:30'))).toBe(true);
    expect(firesMoreThanOncePerMinute(createTimerSchedule('0 * * * * *'))).toBe(false);
    expect(firesMoreThanOncePerMinute(createTimerSchedule('0 0 * * * *'))).toBe(false);
  });

  it('formats dates with the local offset of the time zone', () => {
    const date = new Date('2026-07-01T07:00:00.250Z');
    expect(formatLocalIso(date, 'Europe/Berlin')).toBe('2026-07-01T09:00:00.250+02:00');
    expect(formatLocalIso(date, 'UTC')).toBe('2026-07-01T07:00:00.250+00:00');
  });
});

describe('timer retry policies', () => {
  it('waits a fixed delay, or doubles from the minimum up to the maximum', () => {
    const fixed = { retryStrategy: 'fixedDelay' as const, maxRetryCount: 3, delayInterval: { seconds: 2 } };
    expect([1, 2, 3].map((n) => retryDelayMs(fixed, n))).toEqual([2000, 2000, 2000]);
    const exponential = {
      retryStrategy: 'exponentialBackoff' as const,
      maxRetryCount: 5,
      minimumInterval: { seconds: 1 },
      maximumInterval: { seconds: 5 },
    };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(exponential, n))).toEqual([1000, 2000, 4000, 5000]);
  });
});
