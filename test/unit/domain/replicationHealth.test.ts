import { describe, expect, it } from 'vitest';
import { computeReplicationHealth } from '../../../shared/domain/replicationHealth.js';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (s: number): string => new Date(now.getTime() - s * 1000).toISOString();
const base = { now, replicationIntervalSeconds: 30, replicating: true, entityId: 'vm' };

describe('replication health', () => {
  it('is Normal with the RPO as the newest point age while within two intervals', () => {
    const h = computeReplicationHealth({ ...base, lastRecoveryPointTime: ago(45) });
    expect(h).toEqual({ replicationHealth: 'Normal', rpoInSeconds: 45, healthErrors: [] });
  });
  it('warns past two intervals and is critical past six, naming cause and action', () => {
    const w = computeReplicationHealth({ ...base, lastRecoveryPointTime: ago(90) });
    expect(w.replicationHealth).toBe('Warning');
    expect(w.healthErrors[0]?.errorCode).toBe('RpoThresholdWarning');
    const c = computeReplicationHealth({ ...base, lastRecoveryPointTime: ago(400) });
    expect(c.replicationHealth).toBe('Critical');
    expect(c.healthErrors[0]?.recommendedAction).toMatch(/Repair replication/);
  });
  it('reports a failed cycle as a warning', () => {
    const h = computeReplicationHealth({ ...base, lastRecoveryPointTime: ago(10), lastCycleError: { code: 'SourceUnavailable', message: 'x', time: ago(5) } });
    expect(h.replicationHealth).toBe('Warning');
    expect(h.healthErrors.map((e) => e.errorCode)).toEqual(['SourceUnavailable']);
  });
  it('is Normal without an RPO before the first point', () => {
    expect(computeReplicationHealth({ ...base, replicationStartTime: ago(600) })).toEqual({ replicationHealth: 'Normal', rpoInSeconds: undefined, healthErrors: [] });
  });
});
