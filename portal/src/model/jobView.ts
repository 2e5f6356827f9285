/** What the jobs blades read from a job: task progress, its errors, the `$filter` of the list. Pure. */
import type { Job, JobError, JobTask } from '../api/types.js';

const FINISHED = new Set(['Succeeded', 'Skipped', 'Cancelled', 'Failed']);

/** Job states the service no longer changes by itself. */
export const isJobSettled = (state: string | undefined): boolean => state === 'Succeeded' || state === 'Failed' || state === 'Cancelled';

/** How far a task is, in percent: finished 100, a running one its "37%", a plan group its finished child tasks. */
export function taskPercent(task: JobTask): number {
  if (task.state && FINISHED.has(task.state)) return 100;
  const children = task.groupTaskCustomDetails?.childTasks;
  if (children?.length) return Math.floor((100 * children.filter((child) => child.state && FINISHED.has(child.state)).length) / children.length);
  const percent = /(\d{1,3})\s*%/.exec(task.stateDescription ?? '');
  return percent ? Math.min(100, Number(percent[1])) : 0;
}

export const taskLabel = (task: JobTask): string => task.friendlyName || task.name || task.taskId || 'Task';

/** One error as shown: where it happened, its code and message, possible causes and recommended action. */
export interface ErrorView {
  where?: string;
  code: string;
  message: string;
  possibleCauses?: string;
  recommendedAction?: string;
}

function errorView(error: JobError, where?: string): ErrorView {
  const service = error.serviceErrorDetails;
  const provider = error.providerErrorDetails;
  const possibleCauses = service?.possibleCauses ?? provider?.possibleCauses;
  const recommendedAction = service?.recommendedAction ?? provider?.recommendedAction;
  return {
    ...(where ? { where } : {}),
    code: service?.code ?? String(provider?.errorId ?? 'Error'),
    message: service?.message ?? provider?.errorMessage ?? 'No message.',
    ...(possibleCauses ? { possibleCauses } : {}),
    ...(recommendedAction ? { recommendedAction } : {}),
  };
}

/** The job's errors and its tasks' (child tasks' too), each once. */
export function jobErrors(job: Job): ErrorView[] {
  const views: ErrorView[] = (job.properties.errors ?? []).map((error) => errorView(error));
  const visit = (task: JobTask): void => {
    for (const error of task.errors ?? []) views.push(errorView(error, taskLabel(task)));
    task.groupTaskCustomDetails?.childTasks?.forEach(visit);
  };
  job.properties.tasks?.forEach(visit);
  const seen = new Set<string>();
  return views.filter((view) => {
    const key = `${view.code}|${view.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The jobs list's filter: a state and a start time, as the service's `$filter` reads them. */
export interface JobQuery {
  state: string;
  /** Jobs started within this many hours; 0 for any time. */
  withinHours: number;
}

const quoted = (text: string): string => `'${text.replaceAll("'", "''")}'`;

export function jobFilterOf(query: JobQuery, now = Date.now()): string | undefined {
  const clauses: string[] = [];
  if (query.state) clauses.push(`state eq ${quoted(query.state)}`);
  if (query.withinHours > 0) clauses.push(`startTime ge ${quoted(new Date(now - query.withinHours * 3_600_000).toISOString())}`);
  return clauses.length > 0 ? clauses.join(' and ') : undefined;
}

/** The jobs of one resource (an item or a plan), as the service's `$filter` reads them. */
export const targetFilterOf = (resourceId: string): string => `targetObjectId eq ${quoted(resourceId)}`;
