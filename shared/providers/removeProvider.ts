/**
 * Removing a provider from the vault: `remove` (POST …/remove) unregisters a connected provider;
 * `purge` (DELETE) removes it whether or not its host still reports. Either is refused (409) while
 * protected items protect VMs on its host, naming them. The provider is marked `Deleting` with its
 * removal job in one ETag-conditional transaction (a report racing it retries or is refused); the
 * job (`providerRemovalJob.ts`) then removes the host's report and the registration.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import { fabricPath, requireFabric } from '../infra/fabrics.js';
import { ROW } from '../infra/rowKinds.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { newJob, type Job } from '../jobs/jobModel.js';
import { jobPath } from '../jobs/jobResource.js';
import { submitJob } from '../jobs/submitJob.js';
import { protectedItemsOnHost, reportOf } from './describeProviders.js';
import { findProvider, providerRowName, type ProviderJobInput } from './providerRecord.js';
import { PROVIDER_REMOVAL_JOB } from './providerRemovalJob.js';
import { connectionStatusOf, PROVIDER_DISCONNECTED_AFTER_MS } from './providerResource.js';

/** How a provider is removed: unregistered (`remove`) or purged (`DELETE`). */
export type ProviderRemoval = 'remove' | 'purge';

const JOBS: Record<ProviderRemoval, { scenarioName: string; friendlyName: string }> = {
  remove: { scenarioName: 'UnregisterDra', friendlyName: 'Unregister the Azure Site Recovery Provider' },
  purge: { scenarioName: 'PurgeDra', friendlyName: 'Purge the Azure Site Recovery Provider' },
};

const ATTEMPTS = 3;

/**
 * Starts removing a provider. `undefined` when a purged provider does not exist (a removed one is
 * a 404); 409 while it registers or is being removed, while items protect VMs on its host, or (for
 * `remove`) while its host does not report.
 */
export async function removeProvider(plane: ControlPlane, vault: VaultRef, fabricName: string, providerName: string, how: ProviderRemoval, now = new Date()): Promise<Job | undefined> {
  validateName('providerName', providerName);
  const fabric = (await requireFabric(plane.repository, vault, fabricName)).value;
  for (let attempt = 1; ; attempt += 1) {
    const row = await findProvider(plane.repository, vault, fabric.name, providerName);
    if (!row) {
      if (how === 'purge') return undefined;
      throw new HttpError(404, 'ResourceNotFound', `Recovery services provider ${JSON.stringify(providerName)} was not found in fabric ${JSON.stringify(fabricName)}.`, undefined, 'providerName');
    }
    const provider = row.value;
    if (provider.provisioningState !== 'Succeeded') {
      const doing = provider.provisioningState === 'Deleting' ? 'is already being removed' : 'is still being registered';
      throw new HttpError(409, 'OperationInProgress', `The provider of host ${JSON.stringify(provider.hostName)} ${doing}.`);
    }
    const report = await reportOf(plane.repository, vault, provider);
    const items = await protectedItemsOnHost(plane.repository, vault, provider, report);
    if (items.length > 0) {
      throw new HttpError(
        409,
        'ProviderInUse',
        `The provider of host ${JSON.stringify(provider.hostName)} cannot be removed while ${items.join(', ')} protect${items.length === 1 ? 's' : ''} virtual machines on the host; disable their protection first.`,
        items.map((item) => ({ code: 'ProtectedItemOnHost', message: item })),
      );
    }
    if (how === 'remove' && connectionStatusOf(report?.reportedAt ?? provider.registeredAt, now) === 'NotConnected') {
      throw new HttpError(
        409,
        'ProviderNotConnected',
        `The provider of host ${JSON.stringify(provider.hostName)} has not reported for more than ${PROVIDER_DISCONNECTED_AFTER_MS / 60_000} minutes and cannot be unregistered; purge it (DELETE) to remove it without its host.`,
      );
    }
    const input: ProviderJobInput = { fabricName: fabric.name, hostName: provider.hostName, providerName: provider.name };
    const job = newJob({
      kind: PROVIDER_REMOVAL_JOB,
      vault,
      ...JOBS[how],
      targetObjectId: fabric.internalIdentifier,
      targetObjectName: provider.hostName,
      targetInstanceType: 'Server',
      resultPath: '',
      input,
      tasks: [{ name: JOBS[how].friendlyName, taskType: 'JobTaskDetails' }],
      fabricId: fabricPath(vault, fabric.name),
      now,
    });
    job.resultPath = jobPath(job);
    try {
      return await submitJob(plane, job, [
        { action: 'replace', kind: ROW.provider, name: providerRowName(fabric.name, provider.hostName), value: { ...provider, provisioningState: 'Deleting' }, etag: row.etag },
      ]);
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
    }
  }
}
