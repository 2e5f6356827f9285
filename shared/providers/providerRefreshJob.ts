/**
 * The job that refreshes a provider (`refreshProvider`): it succeeds when the provider's host is
 * connected — its last report, which every view is built from, is current — and records when it
 * was refreshed; it fails with a readable error when the host has stopped reporting.
 */
import { z } from 'zod';
import { PermanentError } from '../errors/PermanentError.js';
import { ROW } from '../infra/rowKinds.js';
import type { SiteHostRecord } from '../infra/siteInventory.js';
import { defineJobKind, type JobKindDefinition } from '../jobs/jobKind.js';
import { providerJobInput, providerRowName, type ProviderRecord } from './providerRecord.js';
import { connectionStatusOf, PROVIDER_DISCONNECTED_AFTER_MS } from './providerResource.js';

/** Job kind of a provider's refresh. */
export const PROVIDER_REFRESH_JOB = 'providerRefresh';

export const providerRefreshKind: JobKindDefinition = defineJobKind({
  input: providerJobInput,
  progress: z.unknown(),
  async run({ input, repository, partition }) {
    const name = providerRowName(input.fabricName, input.hostName);
    const provider = await repository.get<ProviderRecord>(partition, ROW.provider, name);
    if (!provider || provider.value.name !== input.providerName || provider.value.provisioningState === 'Deleting') {
      throw new PermanentError(`The provider of host '${input.hostName}' was removed before it could be refreshed.`, { code: 'ProviderNotFound' });
    }
    const report = await repository.get<SiteHostRecord>(partition, ROW.siteHost, name);
    const now = new Date();
    if (connectionStatusOf(report?.value.reportedAt ?? provider.value.registeredAt, now) === 'NotConnected') {
      throw new PermanentError(`The provider on host '${input.hostName}' is not connected: the host has not reported for more than ${PROVIDER_DISCONNECTED_AFTER_MS / 60_000} minutes.`, {
        code: 'ProviderNotConnected',
        possibleCauses: 'The host is down, its agent is stopped, or it cannot reach the service.',
        recommendedAction: "Start the Hyper-V host's agent or restore its connectivity to the service, then refresh the provider again.",
      });
    }
    await repository.update<ProviderRecord>(partition, ROW.provider, name, (value) => (value.name === input.providerName ? { ...value, refreshedAt: now.toISOString() } : undefined));
    return 'done';
  },
});
