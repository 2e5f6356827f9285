import { describe, expect, it } from 'vitest';
import { selectRecoveryPoint, type PointSummary } from '../../../shared/domain/recoveryPointChoice.js';

const points: PointSummary[] = [
  { id: 'a', time: '2026-01-01T10:00:00Z', type: 'ApplicationConsistent' },
  { id: 'c', time: '2026-01-01T10:02:00Z', type: 'CrashConsistent' },
  { id: 'b', time: '2026-01-01T10:01:00Z', type: 'CrashConsistent' },
];

describe('recovery point choice', () => {
  it('picks the newest point for Latest and LatestProcessed', () => {
    expect(selectRecoveryPoint(points, { kind: 'LatestProcessed' })).toEqual({ ok: true, point: points[1] });
    expect(selectRecoveryPoint(points, { kind: 'Latest' })).toEqual({ ok: true, point: points[1] });
  });
  it('picks the newest application-consistent point', () => {
    expect(selectRecoveryPoint(points, { kind: 'LatestApplicationConsistent' })).toEqual({ ok: true, point: points[0] });
  });
  it('picks a named point and refuses an unknown one', () => {
    expect(selectRecoveryPoint(points, { kind: 'Custom', recoveryPointId: 'b' })).toEqual({ ok: true, point: points[2] });
    expect(selectRecoveryPoint(points, { kind: 'Custom', recoveryPointId: 'zz' })).toMatchObject({ ok: false, code: 'RecoveryPointNotFound' });
  });
  it('explains when there is nothing to choose', () => {
    expect(selectRecoveryPoint([], { kind: 'LatestProcessed' })).toMatchObject({ ok: false, code: 'NoRecoveryPointAvailable' });
    expect(selectRecoveryPoint(points.slice(1), { kind: 'LatestApplicationConsistent' })).toMatchObject({ ok: false, code: 'NoApplicationConsistentRecoveryPoint' });
  });
});
