/**
 * Health changes as events, found by the health timer: each protected item's replication health
 * (Normal ↔ Warning ↔ Critical, with its RPO), its test failover becoming overdue (180 days), and
 * each registered host going silent or reporting again. The last status reported is kept per
 * subject, so a change is one event however many instances sweep (the row's ETag decides). A sweep
 * reads a vault's last reports in one listing, not a read per subject.
 */
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { computeFailoverHealth } from '../domain/failoverHealth.js';
import { computeReplicationHealth } from '../domain/replicationHealth.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import type { PolicyRecord } from '../infra/policies.js';
import { ROW } from '../infra/rowKinds.js';
import { VAULT_ROW, vaultRefOf, type VaultRecord } from '../infra/vaults.js';
import { PROTECTED_ITEM_ROW, itemPathOf, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { reportOf } from '../providers/describeProviders.js';
import type { ProviderRecord } from '../providers/providerRecord.js';
import { connectionStatusOf } from '../providers/providerResource.js';
import { rowKeyOf, type StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { EventDraft, EventSeverity } from './eventModel.js';

/** Row kind of the last status reported per subject (name: `[subject, ...key]`). */
export const HEALTH_REPORT_ROW = 'healthReport';

interface HealthReport {
  status: string;
  at: string;
}

const REPLICATION_SEVERITY: Record<string, EventSeverity> = { Normal: 'OK', Warning: 'Warning', Critical: 'Critical' };

/** States in which replication is expected to run. */
const REPLICATING = new Set(['InitialReplicationInProgress', 'Protected', 'ResynchronizationInProgress']);

/** The last status reported per subject of each vault, listed once per vault and sweep (rows by row key). */
type LastReports = (partition: string) => Promise<Map<string, StoredRow<HealthReport>>>;

function lastReportsOf(deps: Deps): LastReports {
  const byPartition = new Map<string, Promise<Map<string, StoredRow<HealthReport>>>>();
  const load = async (partition: string): Promise<Map<string, StoredRow<HealthReport>>> => {
    const rows = new Map<string, StoredRow<HealthReport>>();
    for await (const row of deps.plane.repository.listAll<HealthReport>(partition, HEALTH_REPORT_ROW)) rows.set(row.rowKey, row);
    return rows;
  };
  return (partition) => {
    let reports = byPartition.get(partition);
    if (!reports) byPartition.set(partition, (reports = load(partition)));
    return reports;
  };
}

/**
 * Records `status` for the subject; when it differs from the last one (or is the first and not
 * `baseline`), records the event `draft(previous)` makes. Returns whether an event was recorded.
 */
async function observe(deps: Deps, lastReports: LastReports, vault: VaultRef, name: string[], status: string, baseline: string, draft: (previous: string | undefined) => EventDraft, now: Date): Promise<boolean> {
  const repository = deps.plane.repository;
  const partition = vaultPartition(vault);
  const report: HealthReport = { status, at: now.toISOString() };
  const row = (await lastReports(partition)).get(rowKeyOf(HEALTH_REPORT_ROW, name));
  try {
    if (!row) await repository.create(partition, HEALTH_REPORT_ROW, name, report);
    else if (row.value.status !== status) await repository.replace(row, report);
    else return false;
  } catch (error) {
    // Another sweep reported it first (or since this one listed): that one's event stands.
    if (error instanceof ConcurrencyError) return false;
    throw error;
  }
  if (!row && status === baseline) return false;
  await deps.plane.events.record(vault, draft(row?.value.status), now);
  return true;
}

export interface HealthLog {
  warn(...args: unknown[]): void;
}

/** One sweep over every vault's items and hosts; returns how many events it recorded. */
export async function reportHealthChanges(deps: Deps, now: Date, log: HealthLog): Promise<number> {
  const repository = deps.plane.repository;
  const policies = new Map<string, PolicyRecord | undefined>();
  const lastReports = lastReportsOf(deps);
  let recorded = 0;
  const count = (happened: boolean): void => {
    if (happened) recorded++;
  };
  for await (const row of repository.listEveryPartition<ProtectedItemRecord>(PROTECTED_ITEM_ROW)) {
    const record = row.value;
    const vault = record.vault;
    const policyKey = `${row.partition}\n${record.policyName}`;
    if (!policies.has(policyKey)) policies.set(policyKey, (await repository.get<PolicyRecord>(row.partition, ROW.policy, record.policyName))?.value);
    const policy = policies.get(policyKey);
    if (!policy) continue;
    const path = itemPathOf(record);
    const replicating = record.replication.active && REPLICATING.has(record.state.protectionState);
    try {
      const health = computeReplicationHealth({
        now,
        replicationIntervalSeconds: policy.replicationInterval,
        ...(record.replication.lastPointTime ? { lastRecoveryPointTime: record.replication.lastPointTime } : {}),
        replicationStartTime: record.replication.startedAt,
        ...(record.replication.lastCycleError ? { lastCycleError: record.replication.lastCycleError } : {}),
        replicating,
        entityId: path,
      });
      const rpo = health.rpoInSeconds === undefined ? '' : ` (RPO ${health.rpoInSeconds} s)`;
      count(
        await observe(deps, lastReports, vault, ['replication', record.itemKey], health.replicationHealth, 'Normal', (previous) => ({
          eventType: 'VmHealth',
          severity: REPLICATION_SEVERITY[health.replicationHealth] ?? 'Warning',
          description: health.replicationHealth === 'Normal' ? `Virtual machine health is OK${rpo}` : `Replication health is ${health.replicationHealth}${rpo}`,
          affectedObjectFriendlyName: record.friendlyName,
          affectedObjectCorrelationId: path,
          fabricId: vaultChildId(vault, ['replicationFabrics', record.fabricName]),
          details: { replicationHealth: health.replicationHealth, ...(previous ? { previousReplicationHealth: previous } : {}), ...(health.rpoInSeconds === undefined ? {} : { rpoInSeconds: health.rpoInSeconds }) },
          healthErrors: health.healthErrors.map((error) => ({ errorCode: error.errorCode, errorMessage: error.errorMessage, possibleCauses: error.possibleCauses, recommendedAction: error.recommendedAction })),
        }), now),
      );
      // Overdue only once a test failover was done and has aged (a new item's warning is on the item itself).
      const failover = computeFailoverHealth({ now, friendlyName: record.friendlyName, lastSuccessfulTestFailoverTime: record.lastSuccessfulTestFailoverTime, replicating, entityId: path });
      const overdue = record.lastSuccessfulTestFailoverTime !== undefined && failover.failoverHealth === 'Warning' ? 'Overdue' : 'Current';
      count(
        await observe(deps, lastReports, vault, ['testFailover', record.itemKey], overdue, 'Current', () => ({
          eventType: 'TestFailoverOverdue',
          severity: overdue === 'Overdue' ? 'Warning' : 'OK',
          description: overdue === 'Overdue' ? 'Test failover is overdue' : 'Test failover done recently',
          affectedObjectFriendlyName: record.friendlyName,
          affectedObjectCorrelationId: path,
          details: { lastSuccessfulTestFailoverTime: record.lastSuccessfulTestFailoverTime },
          healthErrors: failover.healthErrors.map((error) => ({ errorCode: error.errorCode, errorMessage: error.errorMessage, possibleCauses: error.possibleCauses, recommendedAction: error.recommendedAction })),
        }), now),
      );
    } catch (error) {
      log.warn(`Reporting the health of ${record.friendlyName} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for await (const vaultRow of repository.listEveryPartition<VaultRecord>(VAULT_ROW)) {
    const vault = vaultRefOf(vaultRow.value);
    for await (const providerRow of repository.listAll<ProviderRecord>(vaultPartition(vault), ROW.provider)) {
      const provider = providerRow.value;
      try {
        const report = await reportOf(repository, vault, provider);
        const lastHeartBeat = report?.reportedAt ?? provider.registeredAt;
        const status = connectionStatusOf(lastHeartBeat, now);
        const fabricId = vaultChildId(vault, ['replicationFabrics', provider.fabricName]);
        count(
          await observe(deps, lastReports, vault, ['host', provider.fabricName, provider.hostName], status, 'Connected', () => ({
            eventType: 'ServerHealth',
            severity: status === 'Connected' ? 'OK' : 'Critical',
            description: status === 'Connected' ? `Host ${provider.hostName} is connected` : `Host ${provider.hostName} has gone silent`,
            affectedObjectFriendlyName: provider.hostName,
            affectedObjectCorrelationId: vaultChildId(vault, ['replicationFabrics', provider.fabricName], ['replicationRecoveryServicesProviders', provider.name]),
            fabricId,
            details: { connectionStatus: status, lastHeartBeat },
            healthErrors:
              status === 'Connected'
                ? []
                : [{ errorCode: 'ProviderNotConnected', errorMessage: `The host ${provider.hostName} has not reported since ${lastHeartBeat}.`, recommendedAction: 'Check the host and its connection to the service.' }],
          }), now),
        );
      } catch (error) {
        log.warn(`Reporting the connection of ${provider.hostName} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return recorded;
}
