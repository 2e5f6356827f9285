/**
 * `replicationDrillSchedules` (this service's own resource, under the vault): a drill of one
 * protected item or recovery plan on an NCRONTAB schedule, with the recovery point it tests. At
 * each occurrence the drill timer runs a test failover, proves every test VM against its recovery
 * point, cleans up and records a report (`replicationDrillReports`). Written at once (200/201).
 */
import { z } from 'zod';
import { armResource, type ArmResource } from '../arm/armResource.js';
import { parseInput } from '../arm/parseInput.js';
import { parseVaultChildId, sameVault, vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import { requirePlan } from '../plans/plans.js';
import { requireProtectedItem } from '../protection/itemLookup.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { parseNcrontab } from '../schedule/ncrontab.js';

export const DRILL_SCHEDULE_ROW = 'drillSchedule';
const DRILL_SCHEDULE_TYPE = 'Microsoft.RecoveryServices/vaults/replicationDrillSchedules';

/** Recovery points a drill can test, as the portal offers them for a test failover. */
export const DRILL_POINTS = ['Latest', 'LatestProcessed', 'LatestApplicationConsistent'] as const;

export type DrillTarget = { kind: 'item'; fabricName: string; containerName: string; itemName: string } | { kind: 'plan'; planName: string };

export interface DrillScheduleRecord {
  name: string;
  targetId: string;
  target: DrillTarget;
  /** NCRONTAB, in UTC. */
  schedule: string;
  recoveryPointId: (typeof DRILL_POINTS)[number];
  enabled: boolean;
  createdAt: string;
  nextRunTime: string;
  lastRunTime?: string;
  lastReportName?: string;
  lastOutcome?: string;
}

/** The body of `PUT …/replicationDrillSchedules/{schedule}`. */
export const putDrillScheduleBody = z.object({
  properties: z.object({
    targetId: z.string().min(1, 'is required').max(2048),
    schedule: z.string().min(1, 'is required').max(200),
    recoveryPointId: z.enum(DRILL_POINTS, `must be ${DRILL_POINTS.join(', ')}`).optional(),
    enabled: z.boolean().optional(),
  }),
});

const badInput = (field: string, problem: string): HttpError => new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);

/** The item or plan a `targetId` names in this vault (it must exist). */
async function resolveTarget(repository: ControlPlaneRepository, vault: VaultRef, targetId: string): Promise<DrillTarget> {
  const field = 'properties.targetId';
  const parsed = parseVaultChildId(targetId);
  if (!parsed || !sameVault(parsed.vault, vault)) throw badInput(field, 'must be the id of a replication protected item or a recovery plan of this vault.');
  const [first, second, third, ...rest] = parsed.children;
  if (first?.type.toLowerCase() === 'replicationrecoveryplans' && !second) {
    await requirePlan(repository, vault, first.name);
    return { kind: 'plan', planName: first.name };
  }
  if (first?.type.toLowerCase() === 'replicationfabrics' && second?.type.toLowerCase() === 'replicationprotectioncontainers' && third?.type.toLowerCase() === 'replicationprotecteditems' && rest.length === 0) {
    const route = { fabricName: first.name, containerName: second.name, itemName: third.name };
    await requireProtectedItem(repository, vault, route);
    return { kind: 'item', ...route };
  }
  throw badInput(field, 'must be the id of a replication protected item or a recovery plan of this vault.');
}

export function toDrillScheduleResource(vault: VaultRef, schedule: DrillScheduleRecord): ArmResource {
  const { name, target: _target, ...properties } = schedule;
  return armResource(vaultChildId(vault, ['replicationDrillSchedules', name]), name, DRILL_SCHEDULE_TYPE, properties);
}

export async function getDrillSchedule(repository: ControlPlaneRepository, vault: VaultRef, name: string): Promise<DrillScheduleRecord> {
  const row = await repository.get<DrillScheduleRecord>(vaultPartition(vault), DRILL_SCHEDULE_ROW, name.toLowerCase());
  if (!row) throw new HttpError(404, 'ResourceNotFound', `The drill schedule '${name}' was not found in vault '${vault.vaultName}'.`, undefined, 'drillScheduleName');
  return row.value;
}

export async function listDrillSchedules(repository: ControlPlaneRepository, vault: VaultRef): Promise<DrillScheduleRecord[]> {
  const schedules: DrillScheduleRecord[] = [];
  for await (const row of repository.listAll<DrillScheduleRecord>(vaultPartition(vault), DRILL_SCHEDULE_ROW)) schedules.push(row.value);
  return schedules;
}

/** Creates or replaces a schedule; its next run is the schedule's first occurrence from now. */
export async function putDrillSchedule(repository: ControlPlaneRepository, vault: VaultRef, rawName: string, body: unknown, now = new Date()): Promise<{ schedule: DrillScheduleRecord; created: boolean }> {
  const name = validateName('drillScheduleName', rawName);
  const input = parseInput(putDrillScheduleBody, body).properties;
  let nextRunTime: Date;
  try {
    nextRunTime = parseNcrontab(input.schedule, 'UTC').nextAfter(now);
  } catch (error) {
    throw badInput('properties.schedule', `${error instanceof Error ? error.message : String(error)} Use six fields: second minute hour day month day-of-week, in UTC.`);
  }
  const target = await resolveTarget(repository, vault, input.targetId);
  const partition = vaultPartition(vault);
  const existing = await repository.get<DrillScheduleRecord>(partition, DRILL_SCHEDULE_ROW, name.toLowerCase());
  const schedule: DrillScheduleRecord = {
    ...existing?.value,
    name,
    targetId: input.targetId,
    target,
    schedule: input.schedule,
    recoveryPointId: input.recoveryPointId ?? 'LatestProcessed',
    enabled: input.enabled ?? true,
    createdAt: existing?.value.createdAt ?? now.toISOString(),
    nextRunTime: nextRunTime.toISOString(),
  };
  if (existing) await repository.replace(existing, schedule);
  else await repository.create(partition, DRILL_SCHEDULE_ROW, name.toLowerCase(), schedule);
  return { schedule, created: !existing };
}

export async function deleteDrillSchedule(repository: ControlPlaneRepository, vault: VaultRef, name: string): Promise<boolean> {
  const row = await repository.get(vaultPartition(vault), DRILL_SCHEDULE_ROW, name.toLowerCase());
  if (!row) return false;
  await repository.deleteRow(row);
  return true;
}
