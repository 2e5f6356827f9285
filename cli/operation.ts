/**
 * A command that starts a long-running operation: the service answers 202 with
 * `Azure-AsyncOperation` naming the job that carries it out. With `--no-wait` the job prints at once;
 * otherwise the job is followed to its end and the changed resource prints.
 */
import type { FullOperationResponse, OperationOptions } from '@azure/core-client';
import { followJob } from './jobWatch.js';
import type { Column } from './output.js';
import { JOB_COLUMNS } from './jobColumns.js';
import type { Session } from './session.js';

export interface WaitOption {
  /** commander's `--no-wait` sets `wait: false`. */
  wait?: boolean;
}

/** The options a `begin…` call is given: how responses are seen, how often its poller would poll. */
export type BeginOptions = OperationOptions & { updateIntervalInMs?: number };

/** The job an LRO's first answer names (`…/replicationOperationStatus/{job}` or `…/replicationJobs/{job}`). */
export function jobNameOf(response: FullOperationResponse | undefined): string | undefined {
  const url = response?.headers.get('azure-asyncoperation') ?? response?.headers.get('location');
  const match = url ? /\/(?:replicationOperationStatus|replicationJobs|operationResults)\/([^/?]+)/i.exec(url) : null;
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** The result of a delete: nothing prints once its job succeeded (as az prints nothing). */
export const nothing = (): Promise<undefined> => Promise.resolve(undefined);

/**
 * Starts the operation with `begin` and, unless `--no-wait`, follows its job; then prints
 * `result()` (the resource as it is now), or the job when there is no result to show.
 */
export async function runOperation(
  session: Session,
  options: WaitOption,
  begin: (options: BeginOptions) => Promise<unknown>,
  result?: () => Promise<unknown>,
  columns?: readonly Column[],
): Promise<void> {
  let first: FullOperationResponse | undefined;
  await begin({ onResponse: (response) => void (first ??= response), updateIntervalInMs: 1000 });
  const jobName = jobNameOf(first);
  if (!jobName) {
    if (result) session.print(await result(), columns);
    return;
  }
  const { replicationJobs } = session.clients.siteRecovery;
  if (options.wait === false) {
    session.print(await replicationJobs.get(session.vault(), session.resourceGroup(), jobName), JOB_COLUMNS);
    return;
  }
  const job = await followJob(session, jobName);
  if (result) session.print(await result(), columns);
  else session.print(job, JOB_COLUMNS);
}
