/**
 * The POST actions on a fabric besides `remove`: `checkConsistency` compares what the site's hosts
 * report with what the vault protects there (a VM protected but no longer reported is a warning in
 * the job), and `renewCertificate`, which has nothing to renew here (hosts authenticate with the
 * vault's registration key), succeeds as ASR's does. Both answer with a job that has finished.
 */
import { z } from 'zod';
import { parseInput } from '../arm/parseInput.js';
import { vaultChildId, type VaultRef } from '../arm/resourceId.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { jobError, newJob, type Job, type JobErrorEntry } from '../jobs/jobModel.js';
import { recordCompletedJob } from '../jobs/recordCompletedJob.js';
import { primaryOf, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { vaultPartition } from '../repos/partitions.js';
import { fabricPath, requireFabric, type FabricRecord } from './fabrics.js';
import { PROVISIONING_JOB } from './provisioningJob.js';
import { getSiteInventory } from './siteInventory.js';

/** The body of `POST …/replicationFabrics/{fabric}/renewCertificate` (a missing body reads as `{}`). */
export const renewCertificateBody = z.object({ properties: z.object({ renewCertificateType: z.string().max(64).optional() }).loose().optional() }).loose();

async function recordFabricJob(plane: ControlPlane, vault: VaultRef, fabric: FabricRecord, scenarioName: string, friendlyName: string, warnings: JobErrorEntry[]): Promise<Job> {
  const path = fabricPath(vault, fabric.name);
  const now = new Date();
  const job = newJob({
    kind: PROVISIONING_JOB,
    vault,
    scenarioName,
    friendlyName,
    targetObjectId: path,
    targetObjectName: fabric.name,
    targetInstanceType: 'Server',
    resultPath: path,
    fabricId: vaultChildId(vault, ['replicationFabrics', fabric.name]),
    input: {},
    tasks: [{ name: friendlyName, taskType: 'JobTaskDetails' }],
    now,
  });
  return recordCompletedJob(plane, job, { state: 'Succeeded', errors: warnings }, now);
}

/** What the hosts report against what the vault protects at the site, as warnings. */
async function consistencyWarnings(plane: ControlPlane, vault: VaultRef, fabric: FabricRecord): Promise<JobErrorEntry[]> {
  if (fabric.instanceType !== 'HyperVSite') return [];
  const partition = vaultPartition(vault);
  const inventory = await getSiteInventory(plane.repository, partition, fabric.name);
  if (inventory.hosts.length === 0) {
    return [warning('SiteNotReported', `No Hyper-V host of site '${fabric.name}' has reported to the vault.`, "Start the host's agent with the vault's registration key.")];
  }
  const reported = new Set(inventory.vms.map((vm) => vm.id.toLowerCase()));
  const warnings: JobErrorEntry[] = [];
  for await (const row of plane.repository.listAll<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW)) {
    const primary = primaryOf(row.value);
    if (primary.fabricName.toLowerCase() !== fabric.name.toLowerCase() || row.value.state.activeLocation !== 'Primary') continue;
    if (!reported.has(primary.vmId.toLowerCase())) {
      warnings.push(warning('ProtectedVmNotReported', `The protected virtual machine '${row.value.friendlyName}' is not in the latest report of any host of site '${fabric.name}'.`, 'Check that the VM still exists on a host of the site and that its host reports.'));
    }
  }
  return warnings;
}

function warning(code: string, message: string, recommendedAction: string): JobErrorEntry {
  return { ...jobError(code, message, { recommendedAction }), errorLevel: 'Warning' };
}

export async function checkFabricConsistency(plane: ControlPlane, vault: VaultRef, fabricName: string): Promise<Job> {
  const fabric = (await requireFabric(plane.repository, vault, fabricName)).value;
  return recordFabricJob(plane, vault, fabric, 'CheckConsistency', 'Check consistency of the site', await consistencyWarnings(plane, vault, fabric));
}

export async function renewFabricCertificate(plane: ControlPlane, vault: VaultRef, fabricName: string, body: unknown): Promise<Job> {
  parseInput(renewCertificateBody, body ?? {});
  const fabric = (await requireFabric(plane.repository, vault, fabricName)).value;
  return recordFabricJob(plane, vault, fabric, 'RenewCertificate', 'Renew certificate', []);
}
