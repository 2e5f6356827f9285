import { expect, test } from 'vitest';
import { eventKeyOf, toEvent } from '../../../shared/events/eventModel.js';
import { jobEvent } from '../../../shared/events/jobEvent.js';
import { parseEventFilter } from '../../../shared/events/parseEventFilter.js';
import { finishJob, jobError, newJob } from '../../../shared/jobs/jobModel.js';

const vault = { subscriptionId: 's', resourceGroupName: 'g', vaultName: 'v' };

test('event names carry a key that sorts newer events first', () => {
  const older = toEvent({ eventType: 'VmHealth', severity: 'OK', description: 'ok' }, new Date('2026-01-01T00:00:00Z'));
  const newer = toEvent({ eventType: 'VmHealth', severity: 'OK', description: 'ok' }, new Date('2026-01-02T00:00:00Z'));
  expect(older.name.startsWith('VmHealthEvent;')).toBe(true);
  expect(eventKeyOf(newer.name)! < eventKeyOf(older.name)!).toBe(true);
  expect(eventKeyOf('VmHealthEvent;nonsense')).toBeUndefined();
});

test("a job's state change is an event named as ASR names it; no change, no event", () => {
  const job = newJob({ kind: 'k', vault, scenarioName: 'TestFailover', friendlyName: 'Test failover', targetObjectId: 'o', targetObjectName: 'vm1', targetInstanceType: 'T', resultPath: '/' });
  expect(jobEvent(job, job)).toBeUndefined();
  const failed = finishJob(job, 'Failed', new Date(), [jobError('499', 'An internal error occurred.')]);
  expect(jobEvent(job, failed)).toMatchObject({
    eventType: 'JobStatus',
    severity: 'Critical',
    description: 'TestFailover - Failed',
    affectedObjectFriendlyName: 'vm1',
    details: { previousState: 'NotStarted', state: 'Failed' },
    healthErrors: [{ errorCode: '499', errorMessage: 'An internal error occurred.' }],
  });
});

test('the events $filter selects by severity, type, object and time; a bad field is a 400', () => {
  const events = [
    toEvent({ eventType: 'JobStatus', severity: 'Critical', description: 'a', affectedObjectFriendlyName: 'vm1' }, new Date('2026-01-01T00:00:00Z')),
    toEvent({ eventType: 'VmHealth', severity: 'Warning', description: 'b', affectedObjectFriendlyName: 'vm2' }, new Date('2026-01-02T00:00:00Z')),
  ];
  const pick = (filter: string) => events.filter(parseEventFilter(filter)).map((e) => e.description);
  expect(pick("severity eq 'critical'")).toEqual(['a']);
  expect(pick("eventType eq 'VmHealth' and affectedObjectFriendlyName eq 'vm2'")).toEqual(['b']);
  expect(pick("timeOfOccurrence gt '2026-01-01T12:00:00Z'")).toEqual(['b']);
  expect(pick("startTime eq '2026-01-01T12:00:00Z'")).toEqual(['b']);
  expect(() => parseEventFilter("colour eq 'red'")).toThrow(/not supported/);
});
