/**
 * What a plan job has done so far, stored in the job between steps: the stage and phase it is at,
 * each VM's item job, each action's outcome, each stage's times; and the job's group tasks built
 * from it (ASR's `RecoveryPlanGroupTaskDetails` with a child task per VM and per action). Pure.
 */
import { z } from 'zod';
import type { JobTask, TaskState } from '../jobs/jobModel.js';
import type { PlanAction } from './planRecord.js';
import type { PlanStage } from './planStages.js';

export const planItemProgress = z.object({
  jobId: z.string(),
  attempt: z.number().int().nonnegative(),
  state: z.string(),
  friendlyName: z.string().optional(),
  startTime: z.string(),
  endTime: z.string().optional(),
  /** Why the VM's job failed (shown on its task). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const planActionProgress = z.object({
  state: z.enum(['InProgress', 'Suspended', 'Succeeded', 'Failed']),
  startTime: z.string(),
  endTime: z.string().optional(),
  correlationId: z.string().optional(),
  comments: z.string().optional(),
  message: z.string().optional(),
});

export const planProgressSchema = z.object({
  stage: z.number().int().nonnegative(),
  phase: z.enum(['start', 'work', 'end']),
  attempt: z.number().int().nonnegative(),
  stages: z.array(z.object({ startTime: z.string().optional(), endTime: z.string().optional() })),
  /** By item key (`fabric/container/item`). */
  items: z.record(z.string(), planItemProgress),
  /** By action key (`stage:phase:index`). */
  actions: z.record(z.string(), planActionProgress),
  shutdown: z.record(z.string(), z.string()),
});

export type PlanProgress = z.infer<typeof planProgressSchema>;
export type PlanItemProgress = z.infer<typeof planItemProgress>;

export const initialPlanProgress = (stageCount: number): PlanProgress => ({ stage: 0, phase: 'start', attempt: 0, stages: Array.from({ length: stageCount }, () => ({})), items: {}, actions: {}, shutdown: {} });

export const itemKeyOf = (item: { fabricName: string; containerName: string; itemName: string }): string => `${item.fabricName}/${item.containerName}/${item.itemName}`.toLowerCase();
export const actionKeyOf = (stage: number, phase: 'start' | 'end', index: number): string => `${stage}:${phase}:${index}`;

const taskState = (state: string | undefined): TaskState => {
  switch (state) {
    case 'Succeeded':
    case 'Failed':
    case 'Cancelled':
    case 'InProgress':
      return state;
    case 'Suspended':
      return 'InProgress';
    case undefined:
      return 'NotStarted';
    default:
      return 'InProgress';
  }
};

function actionTask(stageIndex: number, phase: 'start' | 'end', index: number, action: PlanAction, progress: PlanProgress): JobTask {
  const done = progress.actions[actionKeyOf(stageIndex, phase, index)];
  const details = action.customDetails;
  const customDetails =
    details.instanceType === 'ManualActionDetails'
      ? { instanceType: 'ManualActionTaskDetails', name: action.actionName, instructions: details.description ?? '', observation: done?.comments ?? '' }
      : details.instanceType === 'ScriptActionDetails'
        ? { instanceType: 'ScriptActionTaskDetails', name: action.actionName, path: details.path, output: done?.message ?? '', isPrimarySideScript: details.fabricLocation === 'Primary' }
        : { instanceType: 'AutomationRunbookTaskDetails', name: action.actionName, runbookId: details.runbookId, runbookName: details.runbookId, jobId: done?.correlationId ?? '', jobOutput: done?.message ?? '', isPrimarySideScript: details.fabricLocation === 'Primary' };
  return {
    taskId: `stage-${stageIndex}-${phase}-${index}`,
    name: action.actionName,
    friendlyName: action.actionName,
    state: taskState(done?.state),
    ...(done?.startTime ? { startTime: done.startTime } : {}),
    ...(done?.endTime ? { endTime: done.endTime } : {}),
    customDetails,
  };
}

/** The job's tasks: one per stage, its VMs' and actions' tasks inside. */
export function planTasks(stages: readonly PlanStage[], progress: PlanProgress, vaultItemId: (item: PlanStage['items'][number]) => string): JobTask[] {
  return stages.map((stage, index) => {
    const times = progress.stages[index] ?? {};
    const childTasks: JobTask[] = [
      ...stage.startActions.map((action, at) => actionTask(index, 'start', at, action, progress)),
      ...(stage.work === 'item'
        ? stage.items.map((item): JobTask => {
            const job = progress.items[itemKeyOf(item)];
            return {
              taskId: `stage-${index}-vm-${item.itemName}`,
              name: item.itemName,
              friendlyName: item.itemName,
              state: taskState(job?.state),
              ...(job?.startTime ? { startTime: job.startTime } : {}),
              ...(job?.endTime ? { endTime: job.endTime } : {}),
              ...(job?.error ? { errors: [{ serviceErrorDetails: job.error, errorLevel: 'Error' as const, creationTime: job.endTime ?? job.startTime, taskId: `stage-${index}-vm-${item.itemName}` }] } : {}),
              customDetails: {
                instanceType: 'VirtualMachineTaskDetails',
                jobTask: { jobId: job?.jobId ?? '', jobFriendlyName: job?.friendlyName ?? '', targetObjectId: vaultItemId(item), targetObjectName: item.itemName, targetInstanceType: 'ProtectionEntity' },
              },
            };
          })
        : []),
      ...stage.endActions.map((action, at) => actionTask(index, 'end', at, action, progress)),
    ];
    const state: TaskState = times.endTime ? 'Succeeded' : childTasks.some((task) => task.state === 'Failed') ? 'Failed' : times.startTime ? 'InProgress' : 'NotStarted';
    return {
      taskId: `stage-${index}`,
      name: stage.name,
      friendlyName: stage.name,
      state,
      taskType: 'GroupTaskDetails',
      ...(times.startTime ? { startTime: times.startTime } : {}),
      ...(times.endTime ? { endTime: times.endTime } : {}),
      groupTaskCustomDetails: {
        instanceType: stage.groupType === 'Shutdown' ? 'RecoveryPlanShutdownGroupTaskDetails' : 'RecoveryPlanGroupTaskDetails',
        name: stage.name,
        groupId: String(stage.groupIndex),
        rpGroupType: stage.groupType,
        childTasks,
      },
    };
  });
}
