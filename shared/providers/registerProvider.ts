/**
 * Recording a host's report: the host's last report (its VMs, networks and heartbeat) is written
 * together with its provider registration, conditionally, so that
 *
 * - the host's first report registers it: the provider row and its `RegisterDra` job are created
 *   in the same transaction as the report, and of two first reports racing (on any instances)
 *   exactly one creates them — the other finds the provider on its retry;
 * - a later report rewrites the provider row unchanged (ETag-conditional) with the report, so a
 *   report that raced a removal either lands before the removal was admitted or is refused;
 * - a host whose provider is being removed is refused (409) until the removal is done; its next
 *   report then registers it again, as a new provider.
 */
import { randomUUID } from 'node:crypto';
import type { VaultRef } from '../arm/resourceId.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import { fabricPath, type FabricRecord } from '../infra/fabrics.js';
import { submitProvisioning } from '../infra/provisioningJob.js';
import { ROW } from '../infra/rowKinds.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import type { Job } from '../jobs/jobModel.js';
import { vaultPartition } from '../repos/partitions.js';
import { providerPath, providerRowName, type ProviderRecord } from './providerRecord.js';

/** ASR's job of a provider's registration. */
export const REGISTER_DRA = { scenarioName: 'RegisterDra', friendlyName: 'Register the Azure Site Recovery Provider' } as const;

/** Reports of one host that race retry this often, after a short random pause. */
const ATTEMPTS = 10;
const pause = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));

/** What recording a report did: the host's provider, and its registration job when this report registered it. */
export interface RecordedReport {
  provider: ProviderRecord;
  registration?: Job;
}

/**
 * Writes the host's report (`hostRecord`, given the provider's name) with its provider
 * registration, as described above. 409 while the host's provider is being removed.
 */
export async function recordHostReport(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  vault: VaultRef,
  fabric: FabricRecord,
  hostName: string,
  hostRecord: (providerName: string) => unknown,
  now = new Date(),
): Promise<RecordedReport> {
  const partition = vaultPartition(vault);
  const name = providerRowName(fabric.name, hostName);
  for (let attempt = 1; ; attempt += 1) {
    const row = await plane.repository.get<ProviderRecord>(partition, ROW.provider, name);
    try {
      if (!row) {
        const provider: ProviderRecord = { name: randomUUID(), fabricName: fabric.name, hostName, registeredAt: now.toISOString(), provisioningState: 'Creating' };
        const registration = await submitProvisioning(
          plane,
          {
            vault,
            input: { operation: 'create', rowKind: ROW.provider, name },
            ...REGISTER_DRA,
            targetObjectId: fabric.internalIdentifier,
            targetObjectName: hostName,
            targetInstanceType: 'Server',
            resultPath: providerPath(vault, fabric.name, provider.name),
            fabricId: fabricPath(vault, fabric.name),
          },
          { action: 'create', kind: ROW.provider, name, value: provider },
          { action: 'upsert', kind: ROW.siteHost, name, value: hostRecord(provider.name) },
        );
        return { provider, registration };
      }
      if (row.value.provisioningState === 'Deleting') {
        throw new HttpError(409, 'ProviderBeingRemoved', `The provider of host ${JSON.stringify(hostName)} is being removed from the vault; report again once the removal has finished to register the host anew.`);
      }
      await plane.repository.transact(partition, [
        { action: 'touch', row },
        { action: 'upsert', kind: ROW.siteHost, name, value: hostRecord(row.value.name) },
      ]);
      return { provider: row.value };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
      await pause(attempt);
    }
  }
}
