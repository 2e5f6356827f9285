/** What a workflow's report needs from the job's earlier tasks: a value they must have decided. */
import { PermanentError } from '../../errors/PermanentError.js';

export function decided<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new PermanentError(`The job has no ${what}; an earlier task did not record it.`, { code: 'JobStateIncomplete' });
  return value;
}
