import { HttpError } from '../errors/HttpError.js';
import type { Job } from './jobModel.js';

type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A filter clause's field and how it reads a job; `time` fields compare as instants. */
const FIELDS: Record<string, { read: (job: Job) => string | undefined; time?: boolean }> = {
  state: { read: (job) => job.state },
  jobstatus: { read: (job) => job.state },
  scenarioname: { read: (job) => job.scenarioName },
  friendlyname: { read: (job) => job.friendlyName },
  fabricid: { read: (job) => job.fabricId },
  targetobjectid: { read: (job) => job.targetObjectId },
  targetobjectname: { read: (job) => job.targetObjectName },
  targetinstancetype: { read: (job) => job.targetInstanceType },
  affectedobjecttypes: { read: (job) => job.targetInstanceType },
  starttime: { read: (job) => job.startTime, time: true },
  endtime: { read: (job) => job.endTime, time: true },
};

const CLAUSE = /^\s*([A-Za-z]+)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|[^\s']+)\s*/i;

function compare(left: number | string, right: number | string, operator: Operator): boolean {
  switch (operator) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
  }
}

/**
 * Parses a `replicationJobs` `$filter` (clauses `field op 'value'` joined by `and`) into a
 * predicate evaluated in memory; it never reaches a storage query. As in ASR, `startTime eq t`
 * selects jobs started at or after `t` and `endTime eq t` jobs started at or before `t`.
 * Text compares case-insensitively. Anything else is a 400 `InvalidFilter`.
 */
export function parseJobFilter(filter: string | null | undefined): (job: Job) => boolean {
  if (!filter || filter.trim() === '') return () => true;
  const clauses: Array<(job: Job) => boolean> = [];
  let rest = filter;
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match) throw new HttpError(400, 'InvalidFilter', `The $filter ${JSON.stringify(filter)} is invalid: expected clauses like "state eq 'Failed'" joined by 'and'.`);
    const [whole, rawField = '', rawOperator = '', rawValue = ''] = match;
    const field = FIELDS[rawField.toLowerCase()];
    if (!field) {
      throw new HttpError(400, 'InvalidFilter', `The $filter field ${JSON.stringify(rawField)} is not supported; use ${Object.keys(FIELDS).join(', ')}.`);
    }
    const operator = rawOperator.toLowerCase() as Operator;
    const value = rawValue.startsWith("'") ? rawValue.slice(1, -1).replaceAll("''", "'") : rawValue;
    if (field.time) {
      const instant = Date.parse(value);
      if (Number.isNaN(instant)) throw new HttpError(400, 'InvalidFilter', `The $filter value ${JSON.stringify(value)} of ${rawField} is not a date-time.`);
      const isEnd = rawField.toLowerCase() === 'endtime';
      const effective: Operator = operator === 'eq' ? (isEnd ? 'le' : 'ge') : operator;
      const read = isEnd && operator === 'eq' ? (job: Job) => job.startTime : field.read;
      clauses.push((job) => {
        const actual = read(job);
        return actual !== undefined && compare(Date.parse(actual), instant, effective);
      });
    } else {
      const expected = value.toLowerCase();
      clauses.push((job) => {
        const actual = field.read(job);
        return actual !== undefined && compare(actual.toLowerCase(), expected, operator);
      });
    }
    rest = rest.slice(whole.length);
    if (rest.trim() === '') break;
    const and = /^and\s+/i.exec(rest);
    if (!and) throw new HttpError(400, 'InvalidFilter', `The $filter ${JSON.stringify(filter)} is invalid: clauses must be joined by 'and'.`);
    rest = rest.slice(and[0].length);
  }
  return (job) => clauses.every((clause) => clause(job));
}
