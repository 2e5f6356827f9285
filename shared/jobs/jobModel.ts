import { randomUUID } from 'node:crypto';
import type { VaultRef } from '../arm/resourceId.js';
import type { JobCustomDetails } from './jobDetails.js';

/** ASR job states. */
export type JobState = 'NotStarted' | 'InProgress' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Suspended';

/** Job states after which a job never runs again (unless restarted from `Failed`). */
export type TerminalJobState = Extract<JobState, 'Succeeded' | 'Failed' | 'Cancelled'>;

/** ASR task states. */
export type TaskState = 'NotStarted' | 'InProgress' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Skipped';

/** Actions a job may allow (`allowedActions`). */
export type JobAction = 'Cancel' | 'Restart' | 'Resume';

/** One error of a job or task as ASR reports it. */
export interface JobErrorEntry {
  serviceErrorDetails: { code: string; message: string; possibleCauses?: string; recommendedAction?: string };
  errorLevel: 'Error' | 'Warning';
  taskId?: string;
  creationTime: string;
}

/** One task of a job. */
export interface JobTask {
  taskId: string;
  name: string;
  friendlyName?: string;
  state: TaskState;
  stateDescription?: string;
  taskType?: string;
  startTime?: string;
  endTime?: string;
  errors?: JobErrorEntry[];
  /** What the task is (`TaskTypeDetails`): a VM's job, a manual, runbook or script action. */
  customDetails?: { instanceType: string } & Record<string, unknown>;
  /** A recovery plan group's task: its VMs' and actions' tasks (`GroupTaskDetails`). */
  groupTaskCustomDetails?: { instanceType: 'RecoveryPlanGroupTaskDetails' | 'RecoveryPlanShutdownGroupTaskDetails'; name: string; groupId: string; rpGroupType: string; childTasks: JobTask[] };
}

/**
 * A job as stored: the ASR fields plus what the runner needs (`kind`, `sequence`, `input`,
 * `progress`). `Input` and `Progress` are the kind's own (its definition validates them when a step
 * reads the job).
 */
export interface Job<Input = unknown, Progress = unknown> {
  jobId: string;
  /** The job kind (a key of the job catalogue) whose definition runs it. */
  kind: string;
  vault: VaultRef;
  activityId: string;
  scenarioName: string;
  friendlyName: string;
  state: JobState;
  stateDescription: string;
  tasks: JobTask[];
  errors: JobErrorEntry[];
  startTime: string;
  endTime?: string;
  targetObjectId: string;
  targetObjectName: string;
  targetInstanceType: string;
  affectedObjectDetails?: Record<string, string>;
  /** What the job shows in `customDetails` besides `affectedObjectDetails` (default `AsrJobDetails`). */
  customDetails?: JobCustomDetails;
  /** Fabric the job concerns (for `$filter=fabricId eq …`). */
  fabricId?: string;
  /** Path (from `/subscriptions/…`) the client GETs when the operation has succeeded. */
  resultPath: string;
  /** Kind-specific input, set at submission. */
  input?: Input;
  /** Kind-specific progress, written by the steps. */
  progress?: Progress;
  /** Incremented each time a step is enqueued; messages with another value are stale. */
  sequence: number;
  /**
   * When the step last sent is due to run (when it was sent, plus its delay): a job still at that
   * step long after lost its message, and the watchdog sends it again (`reseedStalledJob`).
   */
  stepDueAt?: string;
  cancelRequested?: boolean;
  comments?: string;
}

/** What a caller gives to create a job. */
export interface NewJobInput {
  kind: string;
  vault: VaultRef;
  scenarioName: string;
  friendlyName: string;
  targetObjectId: string;
  targetObjectName: string;
  targetInstanceType: string;
  resultPath: string;
  tasks?: Array<Pick<JobTask, 'name'> & Partial<JobTask>>;
  input?: unknown;
  fabricId?: string;
  affectedObjectDetails?: Record<string, string>;
  customDetails?: JobCustomDetails;
  /** Job id to use (e.g. derived from a client request id); a new GUID by default. */
  jobId?: string;
  now?: Date;
}

/** A new job in `NotStarted`, its tasks `NotStarted`. */
export function newJob(input: NewJobInput): Job {
  const now = (input.now ?? new Date()).toISOString();
  const job: Job = {
    jobId: input.jobId ?? randomUUID(),
    kind: input.kind,
    vault: input.vault,
    activityId: randomUUID(),
    scenarioName: input.scenarioName,
    friendlyName: input.friendlyName,
    state: 'NotStarted',
    stateDescription: 'NotStarted',
    tasks: (input.tasks ?? []).map((task, index) => ({ taskId: `task-${index + 1}`, state: 'NotStarted', ...task })),
    errors: [],
    startTime: now,
    targetObjectId: input.targetObjectId,
    targetObjectName: input.targetObjectName,
    targetInstanceType: input.targetInstanceType,
    resultPath: input.resultPath,
    sequence: 0,
    stepDueAt: now,
  };
  if (input.input !== undefined) job.input = input.input;
  if (input.fabricId !== undefined) job.fabricId = input.fabricId;
  if (input.affectedObjectDetails !== undefined) job.affectedObjectDetails = input.affectedObjectDetails;
  if (input.customDetails !== undefined) job.customDetails = input.customDetails;
  return job;
}

/** Whether the job has finished (`Succeeded`, `Failed`, `Cancelled`). */
export function isTerminal(state: JobState): state is TerminalJobState {
  return state === 'Succeeded' || state === 'Failed' || state === 'Cancelled';
}

/** A job error entry from code, message and advice. */
export function jobError(
  code: string,
  message: string,
  advice: { possibleCauses?: string; recommendedAction?: string; taskId?: string } = {},
  now = new Date(),
): JobErrorEntry {
  const entry: JobErrorEntry = { serviceErrorDetails: { code, message }, errorLevel: 'Error', creationTime: now.toISOString() };
  if (advice.possibleCauses !== undefined) entry.serviceErrorDetails.possibleCauses = advice.possibleCauses;
  if (advice.recommendedAction !== undefined) entry.serviceErrorDetails.recommendedAction = advice.recommendedAction;
  if (advice.taskId !== undefined) entry.taskId = advice.taskId;
  return entry;
}

/** Finishes a job in a terminal state: open tasks take that state (Failed/Cancelled) or Succeeded. */
export function finishJob(job: Job, state: TerminalJobState, now = new Date(), errors: JobErrorEntry[] = []): Job {
  const at = now.toISOString();
  const openTaskState: TaskState = state === 'Succeeded' ? 'Succeeded' : state === 'Failed' ? 'Failed' : 'Cancelled';
  return {
    ...job,
    state,
    stateDescription: state === 'Succeeded' ? 'Completed' : state,
    endTime: at,
    errors: [...job.errors, ...errors],
    tasks: job.tasks.map((task) =>
      task.state === 'NotStarted' || task.state === 'InProgress'
        ? { ...task, state: task.state === 'NotStarted' && state !== 'Succeeded' ? (state === 'Failed' ? 'Skipped' : 'Cancelled') : openTaskState, endTime: at, ...(task.startTime ? {} : { startTime: at }) }
        : task,
    ),
  };
}
