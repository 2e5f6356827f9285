/**
 * The job of a scheduled drill: test failover of the item or plan on the chosen point (admitted as
 * its own job, with a request id of the drill's, so a re-run step gets the same job), every test
 * VM verified (`verifyDrillVm`), cleanup the same way, then the report and its event. A failed
 * verification is the drill's outcome, not the job's: the job succeeds once the report is written.
 */
import { z } from 'zod';
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { HttpError } from '../errors/HttpError.js';
import type { EventDraft } from '../events/eventModel.js';
import { defineJobKind, type JobStepContext, type StepResult } from '../jobs/jobKind.js';
import { admitPlanOperation } from '../plans/planCommands.js';
import { requirePlan } from '../plans/plans.js';
import { planItemsOf } from '../plans/planRecord.js';
import { requireProtectedItem, type ItemRoute } from '../protection/itemLookup.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { vaultPartition } from '../repos/partitions.js';
import { findItemOperation } from '../protection/protectedItemOperations.js';
import { DRILL_POINTS, DRILL_SCHEDULE_ROW, type DrillScheduleRecord, type DrillTarget } from './drillSchedule.js';
import { saveDrillReport, type DrillOutcome, type DrillReportRecord, type DrillVmReport } from './drillReport.js';
import { verifyDrillVm } from './verifyDrillVm.js';

export const DRILL_JOB = 'drill';

const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('item'), fabricName: z.string(), containerName: z.string(), itemName: z.string() }),
  z.object({ kind: z.literal('plan'), planName: z.string() }),
]);

export const drillJobInput = z.object({ scheduleName: z.string(), targetId: z.string(), target: targetSchema, recoveryPointId: z.enum(DRILL_POINTS) });
export type DrillJobInput = z.infer<typeof drillJobInput>;

const vmReportSchema = z.custom<DrillVmReport>((value) => typeof value === 'object' && value !== null);
const drillProgress = z.object({
  phase: z.enum(['failover', 'verify', 'cleanup', 'report']),
  startTime: z.string(),
  failoverJobId: z.string().optional(),
  cleanupJobId: z.string().optional(),
  vms: z.array(vmReportSchema),
  failure: z.string().optional(),
  /** Each item's last successful test failover before the drill ('' for none): a failed drill does not count as one. */
  previousTestFailoverTimes: z.record(z.string(), z.string()).optional(),
});
type DrillProgress = z.infer<typeof drillProgress>;
type DrillContext = JobStepContext<DrillJobInput, DrillProgress>;

const POLL_MS = 1_000;

const finished = (state: string): boolean => state === 'Succeeded' || state === 'Failed' || state === 'Cancelled';

/** The items a target covers (a plan's, in its groups' order). */
async function itemsOf(deps: Deps, vault: VaultRef, target: DrillTarget): Promise<ItemRoute[]> {
  if (target.kind === 'item') return [target];
  const plan = (await requirePlan(deps.plane.repository, vault, target.planName)).value;
  return planItemsOf(plan).map((item) => ({ fabricName: item.fabricName, containerName: item.containerName, itemName: item.itemName }));
}

/** Admits the target's test failover or cleanup; the same step again gets the same job. */
async function admit(ctx: DrillContext, operation: 'TestFailover' | 'TestFailoverCleanup'): Promise<string> {
  const { deps, input } = ctx;
  const vault = ctx.job.value.vault;
  const clientRequestId = `${ctx.job.value.jobId}-${operation === 'TestFailover' ? 'tfo' : 'cleanup'}`;
  const body =
    operation === 'TestFailover'
      ? { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: input.recoveryPointId } } }
      : { properties: { comments: `Drill ${input.scheduleName}` } };
  if (input.target.kind === 'plan') {
    const planBody = operation === 'TestFailover' ? { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure', recoveryPointType: input.recoveryPointId }] } } : body;
    return (await admitPlanOperation(deps, vault, input.target.planName, operation, planBody, clientRequestId)).jobId;
  }
  const run = findItemOperation(operation === 'TestFailover' ? 'testFailover' : 'testFailoverCleanup');
  if (!run) throw new RangeError(`No item operation ${operation}.`);
  return (await run({ deps, vault, route: input.target, body, clientRequestId })).jobId;
}

/** The state of a job the drill started. */
async function stateOf(ctx: DrillContext, jobId: string): Promise<{ state: string; error?: string }> {
  const row = await ctx.deps.plane.jobs.get(ctx.partition, jobId);
  if (!row) return { state: 'Failed', error: `its job ${jobId} is gone` };
  const error = row.value.errors.find((entry) => entry.errorLevel === 'Error')?.serviceErrorDetails.message;
  return { state: row.value.state, ...(error ? { error } : {}) };
}

async function save(ctx: DrillContext, progress: DrillProgress): Promise<void> {
  await ctx.updateJob((job) => ({ ...job, progress }));
}

function reportEvent(report: DrillReportRecord): EventDraft {
  const failing = report.vms.filter((vm) => vm.outcome === 'Failed');
  return {
    eventType: 'DrillReport',
    severity: report.outcome === 'Passed' ? 'OK' : report.outcome === 'Skipped' ? 'Warning' : 'Critical',
    description: `Drill ${report.scheduleName} ${report.outcome.toLowerCase()}`,
    affectedObjectFriendlyName: report.scheduleName,
    affectedObjectCorrelationId: report.targetId,
    details: { reportName: report.name, outcome: report.outcome, vms: report.vms.length, bytesVerified: report.vms.reduce((sum, vm) => sum + vm.bytesVerified, 0) },
    healthErrors: [
      ...(report.reason ? [{ errorCode: `Drill${report.outcome}`, errorMessage: report.reason }] : []),
      ...failing.flatMap((vm) => vm.problems.map((problem) => ({ errorCode: 'DrillVerificationFailed', errorMessage: `${vm.name}: ${problem}` }))),
    ],
  };
}

/** Records a drill's report, its event, and the schedule's last outcome. */
export async function recordDrillReport(deps: Deps, vault: VaultRef, report: DrillReportRecord): Promise<void> {
  await saveDrillReport(deps.plane.repository, vault, report);
  await deps.plane.events.record(vault, reportEvent(report));
  await deps.plane.repository.update<DrillScheduleRecord>(
    vaultPartition(vault),
    DRILL_SCHEDULE_ROW,
    report.scheduleName.toLowerCase(),
    (schedule) => ({ ...schedule, lastReportName: report.name, lastOutcome: report.outcome }),
  );
}

async function run(ctx: DrillContext): Promise<StepResult> {
  const vault = ctx.job.value.vault;
  let progress: DrillProgress = ctx.progress ?? { phase: 'failover', startTime: new Date().toISOString(), vms: [] };
  if (progress.phase === 'failover') {
    let failoverJobId = progress.failoverJobId;
    if (!failoverJobId) {
      try {
        failoverJobId = await admit(ctx, 'TestFailover');
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        // Refused at admission (busy, or in a state that allows no test failover): the drill is skipped.
        await recordDrillReport(ctx.deps, vault, {
          ...reportBase(ctx, progress.startTime),
          outcome: 'Skipped',
          reason: `The test failover was refused: ${error.message}`,
          vms: [],
        });
        return 'done';
      }
    }
    if (!progress.failoverJobId) await save(ctx, (progress = { ...progress, failoverJobId }));
    const { state, error } = await stateOf(ctx, failoverJobId);
    if (!finished(state)) return { retryAfterMs: POLL_MS };
    progress = state === 'Succeeded' ? { ...progress, phase: 'verify' } : { ...progress, phase: 'cleanup', failure: `The test failover ${state.toLowerCase()}${error ? `: ${error}` : '.'}` };
    await save(ctx, progress);
  }
  if (progress.phase === 'verify') {
    const vms: DrillVmReport[] = [];
    const previousTestFailoverTimes: Record<string, string> = {};
    for (const route of await itemsOf(ctx.deps, vault, ctx.input.target)) {
      const record = (await requireProtectedItem(ctx.deps.plane.repository, vault, route)).value;
      previousTestFailoverTimes[record.name] = record.lastSuccessfulTestFailoverTime ?? '';
      vms.push(await verifyDrillVm(ctx.deps, vault, record, new Date(progress.startTime)));
    }
    await save(ctx, (progress = { ...progress, phase: 'cleanup', vms, previousTestFailoverTimes }));
  }
  if (progress.phase === 'cleanup') {
    // Nothing to clean up when the test failover left no test VM anywhere.
    const items = await Promise.all((await itemsOf(ctx.deps, vault, ctx.input.target)).map((route) => requireProtectedItem(ctx.deps.plane.repository, vault, route)));
    const needed = progress.cleanupJobId !== undefined || items.some((row) => row.value.testVm !== undefined || ['WaitingForCompletion', 'TestFailoverFailed'].includes(row.value.state.testFailoverState));
    if (needed) {
      const cleanupJobId = progress.cleanupJobId ?? (await admit(ctx, 'TestFailoverCleanup'));
      if (!progress.cleanupJobId) await save(ctx, (progress = { ...progress, cleanupJobId }));
      const { state, error } = await stateOf(ctx, cleanupJobId);
      if (!finished(state)) return { retryAfterMs: POLL_MS };
      if (state !== 'Succeeded') progress = { ...progress, failure: [progress.failure, `The cleanup ${state.toLowerCase()}${error ? `: ${error}` : '.'}`].filter(Boolean).join(' ') };
    }
    await save(ctx, (progress = { ...progress, phase: 'report' }));
  }
  const end = new Date();
  const failedVms = progress.vms.filter((vm) => vm.outcome === 'Failed');
  const outcome: DrillOutcome = progress.failure || failedVms.length > 0 || progress.vms.length === 0 ? 'Failed' : 'Passed';
  if (outcome === 'Failed') await restoreTestFailoverTimes(ctx, progress);
  const reason = progress.failure ?? (failedVms.length > 0 ? `${failedVms.map((vm) => vm.name).join(', ')} did not verify against ${failedVms.length === 1 ? 'its' : 'their'} recovery point.` : undefined);
  await recordDrillReport(ctx.deps, vault, {
    ...reportBase(ctx, progress.startTime, end),
    outcome,
    ...(reason ? { reason } : {}),
    vms: progress.vms,
  });
  return 'done';
}

/** A failed drill's cleanup does not count as a successful test failover: each item's earlier time is put back. */
async function restoreTestFailoverTimes(ctx: DrillContext, progress: DrillProgress): Promise<void> {
  const previous = progress.previousTestFailoverTimes ?? {};
  for (const route of await itemsOf(ctx.deps, ctx.job.value.vault, ctx.input.target)) {
    const before = previous[route.itemName];
    if (before === undefined) continue;
    await ctx.deps.plane.repository.update<ProtectedItemRecord>(ctx.partition, PROTECTED_ITEM_ROW, [route.fabricName, route.containerName, route.itemName], (record) => {
      if ((record.lastSuccessfulTestFailoverTime ?? '') <= before) return undefined;
      const { lastSuccessfulTestFailoverTime: _drilled, ...rest } = record;
      return before ? { ...rest, lastSuccessfulTestFailoverTime: before } : rest;
    });
  }
}

/** What every report of this drill's run says of it. */
function reportBase(ctx: DrillContext, startTime: string, end = new Date()): Pick<DrillReportRecord, 'name' | 'scheduleName' | 'targetId' | 'jobId' | 'startTime' | 'endTime' | 'durationSeconds' | 'recoveryPointChoice'> {
  return {
    name: ctx.job.value.jobId,
    scheduleName: ctx.input.scheduleName,
    targetId: ctx.input.targetId,
    jobId: ctx.job.value.jobId,
    startTime,
    endTime: end.toISOString(),
    durationSeconds: Math.round((end.getTime() - Date.parse(startTime)) / 100) / 10,
    recoveryPointChoice: ctx.input.recoveryPointId,
  };
}

export const drillKind = defineJobKind<DrillJobInput, DrillProgress>({ input: drillJobInput, progress: drillProgress, run, restartable: true });
