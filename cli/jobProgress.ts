/**
 * How far a job's task is, as a percentage: a finished task is 100, a running one says its percent
 * in its state description (initial replication's "37%"), a recovery plan's group counts its
 * finished child tasks.
 */
import type { ASRTask, Job, JobErrorDetails } from '@azure/arm-recoveryservices-siterecovery';

const FINISHED = new Set(['Succeeded', 'Skipped', 'Cancelled', 'Failed']);

export function taskPercent(task: ASRTask): number {
  if (task.state && FINISHED.has(task.state)) return 100;
  const children = task.groupTaskCustomDetails?.childTasks;
  if (children?.length) return Math.floor((100 * children.filter((child) => child.state && FINISHED.has(child.state)).length) / children.length);
  const percent = /(\d{1,3})\s*%/.exec(task.stateDescription ?? '');
  return percent ? Math.min(100, Number(percent[1])) : 0;
}

/** A task's one-line name. */
export const taskLabel = (task: ASRTask): string => task.friendlyName || task.name || task.taskId || 'task';

/** A task's state as the operator reads it: "InProgress (37%)". */
export function taskState(task: ASRTask): string {
  const description = task.stateDescription && task.stateDescription !== task.state ? ` (${task.stateDescription})` : '';
  return `${task.state ?? 'NotStarted'}${description}`;
}

/** A job state the service no longer changes by itself. */
export const isTerminalJobState = (state: string | undefined): boolean => state === 'Succeeded' || state === 'Failed' || state === 'Cancelled' || state === 'Suspended';

function errorText(error: JobErrorDetails): string {
  const service = error.serviceErrorDetails;
  const provider = error.providerErrorDetails;
  const lines = [`  ${service?.code ?? provider?.errorId ?? 'Error'}: ${service?.message ?? provider?.errorMessage ?? 'no message'}`];
  if (service?.possibleCauses) lines.push(`    Possible causes: ${service.possibleCauses}`);
  if (service?.recommendedAction) lines.push(`    Recommended action: ${service.recommendedAction}`);
  return lines.join('\n');
}

/** Why a job did not succeed: its state and each error with its causes and recommended action. */
export function jobFailureText(job: Job): string {
  const p = job.properties ?? {};
  const errors = [...(p.errors ?? []), ...(p.tasks ?? []).flatMap((task) => task.errors ?? [])];
  const seen = new Set<string>();
  const unique = errors.filter((error) => {
    const key = `${error.serviceErrorDetails?.code}|${error.serviceErrorDetails?.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const header = `Job '${p.friendlyName ?? job.name}' (${job.name}) ${p.state ?? 'ended'}${p.stateDescription && p.stateDescription !== p.state ? `: ${p.stateDescription}` : ''}.`;
  return [header, ...unique.map(errorText)].join('\n');
}
