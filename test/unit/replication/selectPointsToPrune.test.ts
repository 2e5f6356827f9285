import { describe, expect, it } from 'vitest';
import { selectPointsToPrune } from '../../../shared/replication/selectPointsToPrune.js';

const now = new Date('2026-01-10T12:00:00.000Z');
const ago = (minutes: number): string => new Date(now.getTime() - minutes * 60_000).toISOString();
const point = (id: string, minutesAgo: number, pinnedBy?: string[]) => ({ id, time: ago(minutesAgo), ...(pinnedBy ? { pinnedBy } : {}) });
const ids = (points: Array<{ id: string }>): string[] => points.map((p) => p.id).sort();

describe('selectPointsToPrune', () => {
  it('keeps every point of the last 2 hours', () => {
    const points = [0, 10, 30, 60, 90, 119, 120].map((m) => point(`p${m}`, m));
    expect(selectPointsToPrune(points, now, { retentionHours: 24 })).toEqual([]);
  });

  it('keeps the newest point of each clock hour beyond 2 hours', () => {
    // now 12:00: 10:30 is within 2 h; 09:55, 09:50, 09:30, 09:05 fall in hour 09; 08:59, 08:01 in hour 08.
    const points = [point('now', 0), point('h10', 90), point('h09a', 125), point('h09b', 130), point('h09c', 150), point('h09d', 175), point('h08a', 181), point('h08b', 239)];
    expect(ids(selectPointsToPrune(points, now, { retentionHours: 24 }))).toEqual(['h08b', 'h09b', 'h09c', 'h09d']);
  });

  it('drops points older than retention', () => {
    const points = [point('new', 5), point('old1', 25 * 60), point('old2', 30 * 60), point('edge', 24 * 60 - 1)];
    expect(ids(selectPointsToPrune(points, now, { retentionHours: 24 }))).toEqual(['old1', 'old2']);
  });

  it('never drops the newest point, even past retention', () => {
    const points = [point('a', 50 * 60), point('b', 49 * 60), point('c', 48 * 60 + 30)];
    expect(ids(selectPointsToPrune(points, now, { retentionHours: 24 }))).toEqual(['a', 'b']);
  });

  it('never drops a pinned point', () => {
    const points = [point('new', 0), point('pinned', 30 * 60, ['tfo-job']), point('listed', 31 * 60), point('h7a', 300), point('h7b', 295)];
    expect(ids(selectPointsToPrune(points, now, { retentionHours: 24, pinned: ['listed', 'h7a'] }))).toEqual([]);
    expect(ids(selectPointsToPrune(points, now, { retentionHours: 24 }))).toEqual(['h7a', 'listed']);
  });

  it('handles no points', () => {
    expect(selectPointsToPrune([], now, { retentionHours: 1 })).toEqual([]);
  });
});
