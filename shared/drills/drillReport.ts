/**
 * `replicationDrillReports`: what each drill proved, one report per run (named by its job), listed
 * newest first: every VM, the point it came up on, the RPO at that point, the bytes verified per
 * disk (and any chunk that differs from the point's manifest), whether it holds a prefix of the
 * workload's write history, how long it took, and the outcome.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import { eventKey } from '../events/eventModel.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlaneRepository, RowPage } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';

const DRILL_REPORT_ROW = 'drillReport';
/** Which row a report's name is stored under (reports sort newest first). */
const DRILL_REPORT_INDEX_ROW = 'drillReportIndex';
const DRILL_REPORT_TYPE = 'Microsoft.RecoveryServices/vaults/replicationDrillReports';

export type DrillOutcome = 'Passed' | 'Failed' | 'Skipped';

export interface DrillDiskReport {
  diskId: string;
  chunks: number;
  bytesVerified: number;
  /** Chunks whose bytes differ from the point's manifest (first 100; -1: the disk is missing). */
  mismatchedChunks: number[];
}

export interface DrillVmReport {
  name: string;
  itemId: string;
  testVmId?: string;
  recoveryPointId?: string;
  recoveryPointTime?: string;
  /** How old the point was when the drill started: what failing over to it then would have lost. */
  rpoSecondsAtPoint?: number;
  bytesVerified: number;
  disks: DrillDiskReport[];
  /** The write-history check: `NotRecorded` when the site keeps no write history. */
  writeHistory: { check: 'Consistent' | 'Inconsistent' | 'NotRecorded'; lastWrite?: number; problems?: string[] };
  outcome: Exclude<DrillOutcome, 'Skipped'>;
  problems: string[];
}

export interface DrillReportRecord {
  name: string;
  scheduleName: string;
  targetId: string;
  jobId?: string;
  startTime: string;
  endTime: string;
  durationSeconds: number;
  outcome: DrillOutcome;
  /** Why a drill failed or was skipped. */
  reason?: string;
  recoveryPointChoice: string;
  vms: DrillVmReport[];
}

export function toDrillReportResource(vault: VaultRef, report: DrillReportRecord): ArmResource {
  const { name, ...properties } = report;
  return armResource(vaultChildId(vault, ['replicationDrillReports', name]), name, DRILL_REPORT_TYPE, properties);
}

/** Stores a report (again: the same content, for a re-run step). */
export async function saveDrillReport(repository: ControlPlaneRepository, vault: VaultRef, report: DrillReportRecord): Promise<void> {
  const partition = vaultPartition(vault);
  const index = await repository.get<{ key: string }>(partition, DRILL_REPORT_INDEX_ROW, report.name);
  const key = index?.value.key ?? eventKey(new Date(report.startTime), report.name);
  await repository.upsert(partition, DRILL_REPORT_ROW, key, report);
  if (!index) await repository.upsert(partition, DRILL_REPORT_INDEX_ROW, report.name, { key });
}

export async function getDrillReport(repository: ControlPlaneRepository, vault: VaultRef, name: string): Promise<DrillReportRecord> {
  const partition = vaultPartition(vault);
  const index = await repository.get<{ key: string }>(partition, DRILL_REPORT_INDEX_ROW, name);
  const row = index ? await repository.get<DrillReportRecord>(partition, DRILL_REPORT_ROW, index.value.key) : undefined;
  if (!row) throw new HttpError(404, 'ResourceNotFound', `The drill report '${name}' was not found in vault '${vault.vaultName}'.`, undefined, 'drillReportName');
  return row.value;
}

export function listDrillReports(repository: ControlPlaneRepository, vault: VaultRef, continuationToken?: string): Promise<RowPage<DrillReportRecord>> {
  return repository.list<DrillReportRecord>(vaultPartition(vault), DRILL_REPORT_ROW, continuationToken ? { continuationToken } : {});
}
