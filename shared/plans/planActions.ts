/**
 * Running one action of a plan group:
 * - manual: the job is suspended with the task showing the instructions; `resume` completes the
 *   action, recording its comments as the task's observation;
 * - runbook: a message to the queue the action names (the plan, group, operation, direction and the
 *   group's VMs, with a `correlationId`); it succeeds or fails with the worker's answer on
 *   `recovery-plan-action-replies`, and fails when none comes within the timeout;
 * - script: a `POST` of the same context to the action's URL; 2xx within the timeout succeeds.
 */
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { Job } from '../jobs/jobModel.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { findProtectedItem } from '../protection/itemLookup.js';
import { protectedItemPath } from '../protection/protectedItemRecord.js';
import { parseActionTimeout } from './actionTimeout.js';
import type { PlanRequest } from './planInputs.js';
import type { PlanProgress } from './planProgress.js';
import type { PlanAction } from './planRecord.js';
import type { PlanStage } from './planStages.js';

type PlanActionState = PlanProgress['actions'][string];

/** Row kind of runbook answers (partition: the vault; name: the correlation id). */
export const PLAN_ACTION_REPLY_ROW = 'planActionReply';

export const planActionReplySchema = z.object({
  correlationId: z.string().min(1).max(512),
  status: z.enum(['Succeeded', 'Failed'], "must be 'Succeeded' or 'Failed'"),
  message: z.string().max(2048).optional(),
});
export type PlanActionReply = z.infer<typeof planActionReplySchema>;

/** A correlation id names the vault, the job, the action and the attempt (opaque to the worker). */
export const correlationIdOf = (partition: string, jobId: string, key: string, attempt: number): string => `${encodeURIComponent(partition)}|${jobId}|${key}|${attempt}`;
export const partitionOfCorrelationId = (correlationId: string): string | undefined => {
  const [partition] = correlationId.split('|');
  return partition ? decodeURIComponent(partition) : undefined;
};

export interface ActionRun {
  key: string;
  action: PlanAction;
  stage: PlanStage;
  planName: string;
  request: PlanRequest;
  previous: PlanActionState | undefined;
}

export interface ActionOutcome {
  progress: PlanActionState;
  code?: string;
}

/** What running an action needs of its job. */
export interface ActionContext {
  deps: Pick<Deps, 'runbooks' | 'scripts'>;
  job: { value: Pick<Job, 'vault' | 'jobId' | 'comments'> };
  partition: string;
  repository: ControlPlaneRepository;
  /** The job's attempt (bumped by each restart after a failure): a runbook asked again gets a new correlation id. */
  attempt: number;
}

type Context = ActionContext;

/** What a runbook or script is told: the plan, the group, the operation and the group's VMs. */
async function actionContext(ctx: Context, run: ActionRun): Promise<Record<string, unknown>> {
  const vault = ctx.job.value.vault;
  const vms = await Promise.all(
    run.stage.items.map(async (item) => {
      const record = (await findProtectedItem(ctx.repository, vault, item.fabricName, item.containerName, item.itemName))?.value;
      const vm = run.request.operation === 'TestFailover' ? record?.testVm : record?.recoveryVm;
      return {
        name: item.itemName,
        protectedItemId: protectedItemPath(vault, item.fabricName, item.containerName, item.itemName),
        primaryVmId: item.vmId,
        ...(vm ? { recoveryVmId: vm.vmId, recoveryVmName: vm.name } : {}),
        ...(record?.recovery.staticIpAddress ? { ipAddress: record.recovery.staticIpAddress } : {}),
      };
    }),
  );
  return {
    recoveryPlanName: run.planName,
    jobId: ctx.job.value.jobId,
    failoverType: run.request.operation,
    failoverDirection: run.request.direction,
    groupId: String(run.stage.groupIndex),
    groupType: run.stage.groupType,
    groupName: run.stage.name,
    actionName: run.action.actionName,
    vms,
  };
}

const at = (): string => new Date().toISOString();

export async function runPlanAction(ctx: Context, run: ActionRun): Promise<ActionOutcome> {
  const details = run.action.customDetails;
  const previous = run.previous;
  const startTime = previous?.startTime ?? at();
  if (details.instanceType === 'ManualActionDetails') {
    // A step that finds the action suspended runs only after `resume`.
    if (previous?.state === 'Suspended') return { progress: { ...previous, state: 'Succeeded', endTime: at(), ...(ctx.job.value.comments ? { comments: ctx.job.value.comments } : {}) } };
    return { progress: { state: 'Suspended', startTime } };
  }
  const timeoutMs = parseActionTimeout(details.timeout, 'timeout');
  if (details.instanceType === 'ScriptActionDetails') {
    const result = await ctx.deps.scripts.call(details.path, await actionContext(ctx, run), timeoutMs);
    return result.ok
      ? { progress: { state: 'Succeeded', startTime, endTime: at(), message: 'The script answered with success.' } }
      : { progress: { state: 'Failed', startTime, endTime: at(), message: `The script at ${new URL(details.path).origin} failed: ${result.problem ?? 'no answer'}.` }, code: 'ScriptActionFailed' };
  }
  const attempt = ctx.attempt;
  const correlationId = previous?.correlationId ?? correlationIdOf(ctx.partition, ctx.job.value.jobId, run.key, attempt);
  if (!previous?.correlationId) {
    await ctx.deps.runbooks.send(details.runbookId, { correlationId, replyQueue: 'recovery-plan-action-replies', ...(await actionContext(ctx, run)) });
    return { progress: { state: 'InProgress', startTime, correlationId } };
  }
  const reply = (await ctx.repository.get<PlanActionReply>(ctx.partition, PLAN_ACTION_REPLY_ROW, correlationId))?.value;
  if (reply?.status === 'Succeeded') return { progress: { ...previous, state: 'Succeeded', endTime: at(), ...(reply.message ? { message: reply.message } : {}) } };
  if (reply?.status === 'Failed') return { progress: { ...previous, state: 'Failed', endTime: at(), message: `The runbook '${details.runbookId}' reported a failure: ${reply.message ?? 'no details'}.` }, code: 'RunbookFailed' };
  if (Date.now() - Date.parse(startTime) > timeoutMs) {
    return { progress: { ...previous, state: 'Failed', endTime: at(), message: `No answer from the runbook '${details.runbookId}' within ${Math.round(timeoutMs / 1000)} s.` }, code: 'RunbookTimedOut' };
  }
  return { progress: previous };
}
