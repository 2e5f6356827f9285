/**
 * The drill timer's sweep: each enabled schedule whose next run has come is claimed (its row's ETag
 * decides, so one instance runs it) and its next run set; then, unless an item it covers is busy
 * with another operation (the drill is skipped, with a report and an event saying which), its
 * drill job is submitted.
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { VAULT_ROW, vaultRefOf, type VaultRecord } from '../infra/vaults.js';
import { newJob } from '../jobs/jobModel.js';
import { submitJob } from '../jobs/submitJob.js';
import { requirePlan } from '../plans/plans.js';
import { planItemsOf } from '../plans/planRecord.js';
import { findProtectedItem } from '../protection/itemLookup.js';
import { jobIdForRequest } from '../protection/itemJobSpec.js';
import { vaultPartition } from '../repos/partitions.js';
import { parseNcrontab } from '../schedule/ncrontab.js';
import { DRILL_JOB, recordDrillReport, type DrillJobInput } from './drillJob.js';
import { DRILL_SCHEDULE_ROW, type DrillScheduleRecord } from './drillSchedule.js';

export interface DrillLog {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

/** Why the schedule's target cannot be drilled now (an item busy, or gone), or `undefined`. */
async function busyReason(deps: Deps, vault: VaultRef, schedule: DrillScheduleRecord): Promise<string | undefined> {
  const repository = deps.plane.repository;
  const routes =
    schedule.target.kind === 'item'
      ? [schedule.target]
      : planItemsOf((await requirePlan(repository, vault, schedule.target.planName)).value).map((item) => ({ fabricName: item.fabricName, containerName: item.containerName, itemName: item.itemName }));
  for (const route of routes) {
    const row = await findProtectedItem(repository, vault, route.fabricName, route.containerName, route.itemName);
    if (!row) return `The protected item '${route.itemName}' no longer exists.`;
    const scenario = row.value.currentScenario;
    if (scenario) return `The protected item '${route.itemName}' is busy with ${scenario.scenarioName} (job ${scenario.jobId}); the drill is skipped until its next run.`;
  }
  return undefined;
}

async function startDrill(deps: Deps, vault: VaultRef, schedule: DrillScheduleRecord, runTime: Date): Promise<void> {
  const reason = await busyReason(deps, vault, schedule).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  const jobId = jobIdForRequest(vault, `drill-${schedule.name}-${runTime.toISOString()}`);
  if (reason) {
    await recordDrillReport(deps, vault, {
      name: jobId,
      scheduleName: schedule.name,
      targetId: schedule.targetId,
      startTime: runTime.toISOString(),
      endTime: runTime.toISOString(),
      durationSeconds: 0,
      outcome: 'Skipped',
      reason,
      recoveryPointChoice: schedule.recoveryPointId,
      vms: [],
    });
    return;
  }
  const input: DrillJobInput = { scheduleName: schedule.name, targetId: schedule.targetId, target: schedule.target, recoveryPointId: schedule.recoveryPointId };
  const job = newJob({
    jobId,
    kind: DRILL_JOB,
    vault,
    scenarioName: 'Drill',
    friendlyName: `Drill ${schedule.name}`,
    targetObjectId: schedule.targetId,
    targetObjectName: schedule.name,
    targetInstanceType: 'DrillSchedule',
    resultPath: schedule.targetId,
    input,
  });
  try {
    await submitJob(deps.plane, job);
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
  }
}

/** Starts every drill that is due; returns how many schedules ran (started or skipped). */
export async function startDueDrills(deps: Deps, now: Date, log: DrillLog): Promise<number> {
  const repository = deps.plane.repository;
  let ran = 0;
  for await (const vaultRow of repository.listEveryPartition<VaultRecord>(VAULT_ROW)) {
    const vault = vaultRefOf(vaultRow.value);
    for await (const row of repository.listAll<DrillScheduleRecord>(vaultPartition(vault), DRILL_SCHEDULE_ROW)) {
      const schedule = row.value;
      if (!schedule.enabled || Date.parse(schedule.nextRunTime) > now.getTime()) continue;
      try {
        const next = parseNcrontab(schedule.schedule, 'UTC').nextAfter(now);
        await repository.replace(row, { ...schedule, lastRunTime: schedule.nextRunTime, nextRunTime: next.toISOString() });
      } catch (error) {
        if (error instanceof ConcurrencyError) continue;
        throw error;
      }
      try {
        await startDrill(deps, vault, schedule, new Date(schedule.nextRunTime));
        ran++;
      } catch (error) {
        log.warn(`The drill ${schedule.name} could not start: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return ran;
}
