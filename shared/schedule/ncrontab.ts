/**
 * NCRONTAB expressions as the Functions timer trigger reads them: six fields
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, or five without seconds. Fields take
 * numbers, `*`, lists, ranges, steps and three-letter month/day names; day and day-of-week must
 * both match (NCrontab's rule, unlike Vixie cron). Evaluation is croner's, in a given IANA time
 * zone or the process's local one.
 */
import { Cron } from 'croner';

export interface NcrontabSchedule {
  expression: string;
  /** The first occurrence strictly after `date`. */
  nextAfter(date: Date): Date;
}

const field = /^[0-9A-Za-z*,/-]+$/;

/** Parses an NCRONTAB expression; throws a `RangeError` explaining what is wrong. */
export function parseNcrontab(expression: string, timeZone?: string): NcrontabSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new RangeError(`'${expression}' is not an NCRONTAB expression: expected 5 or 6 fields, found ${fields.length}.`);
  }
  for (const part of fields) {
    const names = part.match(/[A-Za-z]+/g) ?? [];
    if (!field.test(part) || names.some((name) => name.length !== 3)) {
      throw new RangeError(`'${expression}' is not an NCRONTAB expression: invalid field '${part}'.`);
    }
  }
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), {
      paused: true,
      mode: fields.length === 6 ? '6-part' : '5-part',
      domAndDow: true,
      ...(timeZone ? { timezone: timeZone } : {}),
    });
  } catch (error) {
    throw new RangeError(`'${expression}' is not an NCRONTAB expression: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const nextAfter = (date: Date): Date => {
    const next = cron.nextRun(date);
    if (!next) throw new RangeError(`NCRONTAB expression '${expression}' has no occurrence after ${date.toISOString()}.`);
    return next;
  };
  nextAfter(new Date());
  return { expression, nextAfter };
}
