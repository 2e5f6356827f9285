/** Admitting a provider's refresh (`refreshProvider`, LRO → the provider): its job is `providerRefreshJob.ts`. */
import type { VaultRef } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';
import { fabricPath, requireFabric } from '../infra/fabrics.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { newJob, type Job } from '../jobs/jobModel.js';
import { submitJob } from '../jobs/submitJob.js';
import { providerPath, requireProvider, type ProviderJobInput } from './providerRecord.js';
import { PROVIDER_REFRESH_JOB } from './providerRefreshJob.js';

/** ASR's job of a provider's refresh. */
export const REFRESH_PROVIDER = { scenarioName: 'RefreshFabricLayout', friendlyName: 'Refresh server details' } as const;

/** Starts refreshing a provider; 404 when unknown, 409 while it registers or is being removed. */
export async function refreshProvider(plane: ControlPlane, vault: VaultRef, fabricName: string, providerName: string): Promise<Job> {
  const row = await requireProvider(plane.repository, vault, fabricName, providerName);
  const provider = row.value;
  if (provider.provisioningState !== 'Succeeded') {
    const doing = provider.provisioningState === 'Deleting' ? 'is being removed' : 'is still being registered';
    throw new HttpError(409, 'OperationInProgress', `The provider of host ${JSON.stringify(provider.hostName)} ${doing}.`);
  }
  const fabric = (await requireFabric(plane.repository, vault, provider.fabricName)).value;
  const input: ProviderJobInput = { fabricName: provider.fabricName, hostName: provider.hostName, providerName: provider.name };
  return submitJob(
    plane,
    newJob({
      kind: PROVIDER_REFRESH_JOB,
      vault,
      ...REFRESH_PROVIDER,
      targetObjectId: fabric.internalIdentifier,
      targetObjectName: provider.hostName,
      targetInstanceType: 'Server',
      resultPath: providerPath(vault, provider.fabricName, provider.name),
      input,
      tasks: [{ name: REFRESH_PROVIDER.friendlyName, taskType: 'JobTaskDetails' }],
      fabricId: fabricPath(vault, provider.fabricName),
    }),
  );
}
