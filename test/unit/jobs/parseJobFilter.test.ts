import { expect, test } from 'vitest';
import { newJob, finishJob, type Job } from '../../../shared/jobs/jobModel.js';
import { parseJobFilter } from '../../../shared/jobs/parseJobFilter.js';

const vault = { subscriptionId: 's', resourceGroupName: 'g', vaultName: 'v' };
const make = (scenarioName: string, at: string, fabricId?: string): Job =>
  newJob({ kind: 'k', vault, scenarioName, friendlyName: scenarioName, targetObjectId: 'o', targetObjectName: 'n', targetInstanceType: 'T', resultPath: '/', now: new Date(at), ...(fabricId ? { fabricId } : {}) });

const jobs = [
  make('CreateFabric', '2026-01-01T00:00:00Z', '/f/site'),
  finishJob(make('AddProtectionProfile', '2026-01-02T00:00:00Z'), 'Failed', new Date('2026-01-02T01:00:00Z')),
  make('PairCloud', '2026-01-03T00:00:00Z', '/f/site'),
];
const names = (filter: string) => jobs.filter(parseJobFilter(filter)).map((job) => job.scenarioName);

test('no filter matches everything', () => {
  expect(jobs.filter(parseJobFilter(undefined))).toHaveLength(3);
});

test('state, scenario and fabric compare case-insensitively; clauses combine with and', () => {
  expect(names("state eq 'failed'")).toEqual(['AddProtectionProfile']);
  expect(names("State ne 'Failed' and scenarioName eq 'pairCloud'")).toEqual(['PairCloud']);
  expect(names("fabricId eq '/F/SITE'")).toEqual(['CreateFabric', 'PairCloud']);
});

test('startTime eq / endTime eq select a window as ASR does', () => {
  expect(names("startTime eq '2026-01-02T00:00:00Z'")).toEqual(['AddProtectionProfile', 'PairCloud']);
  expect(names("startTime eq '2026-01-01T12:00:00Z' and endTime eq '2026-01-02T12:00:00Z'")).toEqual(['AddProtectionProfile']);
  expect(names("endTime gt '2026-01-02T00:30:00Z'")).toEqual(['AddProtectionProfile']);
});

test.each(["PartitionKey eq 'x'", "state eq 'x' or state eq 'y'", 'state', "startTime eq 'soon'", "state eq 'x' and", "state eq 'unterminated"])('rejects %j', (filter) => {
  expect(() => parseJobFilter(filter)).toThrow(expect.objectContaining({ status: 400, code: 'InvalidFilter' }));
});

test("a quoted value may contain an escaped quote", () => {
  const job = make("it's", '2026-01-01T00:00:00Z');
  expect(parseJobFilter("scenarioName eq 'it''s'")(job)).toBe(true);
});
