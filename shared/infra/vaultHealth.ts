/**
 * `replicationVaultHealth`: the vault's health at a glance — its protected items by replication
 * health with their issues grouped by error, its fabrics (a Hyper-V site whose hosts stopped
 * reporting is an issue), its containers, and as vault errors the jobs that failed in the last day.
 * `refresh` computes it anew (everything here is computed on read, so it answers the same).
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import type { HealthErrorView } from '../domain/replicationHealth.js';
import type { Job } from '../jobs/jobModel.js';
import { JOB_ROW } from '../jobs/jobStore.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { describeProtectedItems } from '../protection/protectedItemResource.js';
import { vaultPartition } from '../repos/partitions.js';
import { FABRIC_ROW, fabricPath, type FabricRecord } from './fabrics.js';
import { getSiteHealth } from './siteInventory.js';

const VAULT_HEALTH_TYPE = 'Microsoft.RecoveryServices/vaults/replicationVaultHealth';
const DAY_MS = 86_400_000;

interface HealthIssue {
  summaryCode: string;
  category: string;
  severity: string;
  summaryMessage: string;
  affectedResourceType: string;
  affectedResourceSubtype: string;
  affectedResourceCorrelationIds: string[];
}

interface ResourceHealthSummary {
  resourceCount: number;
  issues: HealthIssue[];
  categorizedResourceCounts: Record<string, number>;
}

/** Issues grouped by error code, each naming the resources that show it. Pure. */
export function groupIssues(errors: ReadonlyArray<{ resourceId: string; error: Pick<HealthErrorView, 'errorCode' | 'errorCategory' | 'errorLevel' | 'summaryMessage' | 'errorMessage'> }>, resourceType: string): HealthIssue[] {
  const byCode = new Map<string, HealthIssue>();
  for (const { resourceId, error } of errors) {
    const issue = byCode.get(error.errorCode) ?? {
      summaryCode: error.errorCode,
      category: error.errorCategory,
      severity: error.errorLevel,
      summaryMessage: error.summaryMessage || error.errorMessage,
      affectedResourceType: resourceType,
      affectedResourceSubtype: '',
      affectedResourceCorrelationIds: [],
    };
    if (!issue.affectedResourceCorrelationIds.includes(resourceId)) issue.affectedResourceCorrelationIds.push(resourceId);
    byCode.set(error.errorCode, issue);
  }
  return [...byCode.values()];
}

async function itemsHealth(deps: Pick<Deps, 'plane' | 'sites'>, vault: VaultRef, now: Date): Promise<ResourceHealthSummary> {
  const records: ProtectedItemRecord[] = [];
  for await (const row of deps.plane.repository.listAll<ProtectedItemRecord>(vaultPartition(vault), PROTECTED_ITEM_ROW)) records.push(row.value);
  const views = await describeProtectedItems(deps, vault, records, now);
  const counts: Record<string, number> = { Normal: 0, Warning: 0, Critical: 0 };
  const errors = views.flatMap((view) => {
    const properties = view.properties as { replicationHealth: string; healthErrors: HealthErrorView[] };
    counts[properties.replicationHealth] = (counts[properties.replicationHealth] ?? 0) + 1;
    return properties.healthErrors.map((error) => ({ resourceId: view.id, error }));
  });
  return { resourceCount: views.length, issues: groupIssues(errors, 'replicationProtectedItems'), categorizedResourceCounts: counts };
}

async function fabricsHealth(deps: Pick<Deps, 'plane'>, vault: VaultRef, now: Date): Promise<{ fabrics: ResourceHealthSummary; containers: ResourceHealthSummary }> {
  const partition = vaultPartition(vault);
  const fabrics: FabricRecord[] = [];
  for await (const row of deps.plane.repository.listAll<FabricRecord>(partition, FABRIC_ROW)) fabrics.push(row.value);
  const issues: HealthIssue[] = [];
  const counts: Record<string, number> = { Normal: 0, Warning: 0, Critical: 0 };
  for (const fabric of fabrics) {
    const health = fabric.instanceType === 'HyperVSite' ? await getSiteHealth(deps.plane.repository, partition, fabric.name, now) : undefined;
    if (health && !health.healthy) {
      counts.Critical = (counts.Critical ?? 0) + 1;
      const id = fabricPath(vault, fabric.name);
      const existing = issues.find((issue) => issue.summaryCode === health.error.code);
      if (existing) existing.affectedResourceCorrelationIds.push(id);
      else issues.push({ summaryCode: health.error.code, category: 'Connectivity', severity: 'Error', summaryMessage: health.error.message, affectedResourceType: 'replicationFabrics', affectedResourceSubtype: fabric.instanceType, affectedResourceCorrelationIds: [id] });
    } else {
      counts.Normal = (counts.Normal ?? 0) + 1;
    }
  }
  return {
    fabrics: { resourceCount: fabrics.length, issues, categorizedResourceCounts: counts },
    containers: { resourceCount: fabrics.length, issues: [], categorizedResourceCounts: { Normal: fabrics.length, Warning: 0, Critical: 0 } },
  };
}

/** Jobs that failed in the last day, as one vault error. */
async function vaultErrors(deps: Pick<Deps, 'plane'>, vault: VaultRef, now: Date): Promise<unknown[]> {
  const since = now.getTime() - DAY_MS;
  const failed: Job[] = [];
  for await (const row of deps.plane.repository.listAll<Job>(vaultPartition(vault), JOB_ROW)) {
    if (row.value.state === 'Failed' && Date.parse(row.value.endTime ?? row.value.startTime) >= since) failed.push(row.value);
  }
  if (failed.length === 0) return [];
  return [
    {
      errorCode: 'JobsFailed',
      errorLevel: 'Warning',
      errorSource: 'Jobs',
      errorType: 'Jobs',
      errorCategory: 'Jobs',
      summaryMessage: `${failed.length} job(s) failed in the last 24 hours.`,
      errorMessage: `Failed: ${failed.slice(0, 10).map((job) => `${job.friendlyName} on ${job.targetObjectName} (${job.jobId})`).join('; ')}${failed.length > 10 ? '; …' : ''}.`,
      recommendedAction: 'Open each failed job to see its errors and what to do.',
      creationTimeUtc: now.toISOString(),
      entityId: vaultChildId(vault, ['replicationJobs', failed[0]?.jobId ?? '']),
    },
  ];
}

/** The vault's health as `replicationVaultHealth` returns it. */
export async function vaultHealth(deps: Pick<Deps, 'plane' | 'sites'>, vault: VaultRef, now = new Date()): Promise<ArmResource> {
  const [protectedItemsHealth, { fabrics, containers }, errors] = await Promise.all([itemsHealth(deps, vault, now), fabricsHealth(deps, vault, now), vaultErrors(deps, vault, now)]);
  return armResource(vaultChildId(vault, ['replicationVaultHealth', 'default']), 'default', VAULT_HEALTH_TYPE, {
    vaultErrors: errors,
    protectedItemsHealth,
    fabricsHealth: fabrics,
    containersHealth: containers,
  });
}
