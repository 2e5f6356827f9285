import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../shared/logging/logger.js';
import { jobLogFields } from '../../../shared/jobs/jobLogFields.js';

const at = new Date('2026-01-02T03:04:05.678Z');

function recording() {
  const lines: Array<{ method: string; line: string }> = [];
  const sink = {
    debug: (line: string) => void lines.push({ method: 'debug', line }),
    info: (line: string) => void lines.push({ method: 'info', line }),
    warn: (line: string) => void lines.push({ method: 'warn', line }),
    error: (line: string) => void lines.push({ method: 'error', line }),
  };
  return { lines, sink };
}

describe('createLogger', () => {
  it('writes one JSON object per line to the sink method of its level, with the fields that are set', () => {
    const { lines, sink } = recording();
    const log = createLogger(sink, { invocationId: 'inv-1', function: 'runJob', vault: undefined }, () => at);
    log.info('hello %s', 'world');
    log.warn('careful');
    log.error(new Error('boom').message);
    log.debug('detail');
    log.log('as info');
    expect(lines.map((l) => l.method)).toEqual(['info', 'warn', 'error', 'debug', 'info']);
    expect(JSON.parse(lines[0]!.line)).toEqual({ time: '2026-01-02T03:04:05.678Z', level: 'information', message: 'hello world', invocationId: 'inv-1', function: 'runJob' });
    expect(JSON.parse(lines[1]!.line)).toMatchObject({ level: 'warning', message: 'careful' });
    expect(JSON.parse(lines[3]!.line)).toMatchObject({ level: 'debug' });
    expect(lines.every((l) => !l.line.includes('\n'))).toBe(true);
  });

  it('adds the fields of `with` to every line of the narrower logger, leaving the wider one as it was', () => {
    const { lines, sink } = recording();
    const log = createLogger(sink, { invocationId: 'inv-1' }, () => at);
    const job = log.with({ jobId: 'j1', activityId: 'a1', item: undefined });
    job.info('step');
    log.info('plain');
    expect(JSON.parse(lines[0]!.line)).toMatchObject({ invocationId: 'inv-1', jobId: 'j1', activityId: 'a1' });
    expect(JSON.parse(lines[0]!.line)).not.toHaveProperty('item');
    expect(JSON.parse(lines[1]!.line)).not.toHaveProperty('jobId');
    expect(job.fields).toEqual({ invocationId: 'inv-1', jobId: 'j1', activityId: 'a1' });
  });
});

describe('jobLogFields', () => {
  const vault = { subscriptionId: 's', resourceGroupName: 'rg', vaultName: 'v1' };
  const base = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v1';
  it('names the job, its activity and vault, and the item or plan its target is', () => {
    expect(jobLogFields({ jobId: 'j', activityId: 'a', vault, targetObjectId: `${base}/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/web-01` })).toEqual({
      jobId: 'j',
      activityId: 'a',
      vault: 'v1',
      item: 'web-01',
      plan: undefined,
    });
    expect(jobLogFields({ jobId: 'j', activityId: 'a', vault, targetObjectId: `${base}/replicationRecoveryPlans/plan-a` })).toMatchObject({ plan: 'plan-a', item: undefined });
  });
});
