import { HttpError } from '../errors/HttpError.js';

export type FilterOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** How a `$filter` field reads a resource; `time` fields compare as instants. */
export interface FilterField<T> {
  read: (value: T) => string | undefined;
  time?: boolean;
  /** For a time field, what `eq` means instead (ASR's jobs read `startTime eq t` as "at or after t"). */
  eq?: { operator: FilterOperator; read?: (value: T) => string | undefined };
}

const CLAUSE = /^\s*([A-Za-z]+)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|[^\s']+)\s*/i;

function compare(left: number | string, right: number | string, operator: FilterOperator): boolean {
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
 * Parses an ARM `$filter` (clauses `field op 'value'` joined by `and`) over `fields` (keys lower
 * case) into a predicate evaluated in memory; it never reaches a storage query. Text compares
 * case-insensitively. Anything else is a 400 `InvalidFilter` naming the problem.
 */
export function parseODataFilter<T>(filter: string | null | undefined, fields: Readonly<Record<string, FilterField<T>>>): (value: T) => boolean {
  if (!filter || filter.trim() === '') return () => true;
  const clauses: Array<(value: T) => boolean> = [];
  let rest = filter;
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match) throw new HttpError(400, 'InvalidFilter', `The $filter ${JSON.stringify(filter)} is invalid: expected clauses like "field eq 'value'" joined by 'and'.`);
    const [whole, rawField = '', rawOperator = '', rawValue = ''] = match;
    const field = Object.hasOwn(fields, rawField.toLowerCase()) ? fields[rawField.toLowerCase()] : undefined;
    if (!field) {
      throw new HttpError(400, 'InvalidFilter', `The $filter field ${JSON.stringify(rawField)} is not supported; use ${Object.keys(fields).join(', ')}.`);
    }
    const operator = rawOperator.toLowerCase() as FilterOperator;
    const text = rawValue.startsWith("'") ? rawValue.slice(1, -1).replaceAll("''", "'") : rawValue;
    if (field.time) {
      const instant = Date.parse(text);
      if (Number.isNaN(instant)) throw new HttpError(400, 'InvalidFilter', `The $filter value ${JSON.stringify(text)} of ${rawField} is not a date-time.`);
      const effective = operator === 'eq' && field.eq ? field.eq.operator : operator;
      const read = (operator === 'eq' && field.eq?.read) || field.read;
      clauses.push((value) => {
        const actual = read(value);
        return actual !== undefined && compare(Date.parse(actual), instant, effective);
      });
    } else {
      const expected = text.toLowerCase();
      clauses.push((value) => {
        const actual = field.read(value);
        return actual !== undefined && compare(actual.toLowerCase(), expected, operator);
      });
    }
    rest = rest.slice(whole.length);
    if (rest.trim() === '') break;
    const and = /^and\s+/i.exec(rest);
    if (!and) throw new HttpError(400, 'InvalidFilter', `The $filter ${JSON.stringify(filter)} is invalid: clauses must be joined by 'and'.`);
    rest = rest.slice(and[0].length);
  }
  return (value) => clauses.every((clause) => clause(value));
}
