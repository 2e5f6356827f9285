/**
 * Follows a job until the service stops changing it: a live progress bar per task on a terminal,
 * a plain line per change otherwise (both on stderr, so stdout keeps the result). Ctrl-C stops the
 * watching, never the job, and says how to watch again.
 */
import cliProgress from 'cli-progress';
import type { Job } from '@azure/arm-recoveryservices-siterecovery';
import { JobFailedError, WatchInterrupted } from './errors.js';
import { isTerminalJobState, jobFailureText, taskLabel, taskPercent, taskState } from './jobProgress.js';
import type { Session } from './session.js';

export interface WatchOptions {
  /** How often the job is read (default 1 s; `SR_POLL_MS` overrides it). */
  pollMs?: number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener('abort', wake);
  });

/** What shows the job's progress as it changes. */
interface ProgressView {
  update(job: Job): void;
  stop(): void;
}

function barsView(session: Session): ProgressView {
  const bars = new cliProgress.MultiBar(
    {
      stream: session.streams.stderr as NodeJS.WritableStream,
      format: ' {bar} {percentage}% {state} | {task}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      forceRedraw: true,
      noTTYOutput: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const byTask = new Map<string, cliProgress.SingleBar>();
  return {
    update(job) {
      for (const [index, task] of (job.properties?.tasks ?? []).entries()) {
        const id = task.taskId ?? String(index);
        const payload = { task: taskLabel(task), state: taskState(task) };
        const bar = byTask.get(id);
        if (bar) bar.update(taskPercent(task), payload);
        else byTask.set(id, bars.create(100, taskPercent(task), payload));
      }
    },
    stop: () => bars.stop(),
  };
}

function linesView(session: Session): ProgressView {
  const shown = new Map<string, string>();
  return {
    update(job) {
      for (const [index, task] of (job.properties?.tasks ?? []).entries()) {
        const id = task.taskId ?? String(index);
        const line = `${taskLabel(task)}: ${taskState(task)}`;
        if (shown.get(id) === line) continue;
        shown.set(id, line);
        session.say(`${new Date().toISOString().slice(11, 19)} ${line}`);
      }
    },
    stop: () => undefined,
  };
}

/**
 * Reads job `jobName` until it is terminal and returns it; throws `JobFailedError` (with the job's
 * errors, causes and recommended actions) when it did not succeed.
 */
export async function followJob(session: Session, jobName: string, options: WatchOptions = {}): Promise<Job> {
  const pollMs = options.pollMs ?? (Number(process.env.SR_POLL_MS) || 1000);
  const read = (): Promise<Job> => session.clients.siteRecovery.replicationJobs.get(session.vault(), session.resourceGroup(), jobName);
  let job = await read();
  session.say(`Job '${job.properties?.friendlyName ?? jobName}' (${jobName}):`);
  const view = session.streams.stderr.isTTY ? barsView(session) : linesView(session);
  const stop = new AbortController();
  const interrupt = (): void => stop.abort();
  process.once('SIGINT', interrupt);
  try {
    view.update(job);
    while (!isTerminalJobState(job.properties?.state)) {
      await sleep(pollMs, stop.signal);
      if (stop.signal.aborted) break;
      job = await read();
      view.update(job);
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    view.stop();
  }
  if (stop.signal.aborted) {
    throw new WatchInterrupted(`Stopped watching; job ${jobName} goes on. Watch it again with: sr job wait --name ${jobName}`);
  }
  if (job.properties?.state !== 'Succeeded') throw new JobFailedError(jobFailureText(job));
  session.say(`Job ${jobName} Succeeded.`);
  return job;
}
