/**
 * The job that removes a provider (`remove` or `purge`): its host's last report goes (so the
 * host's VMs and networks leave the site's inventory), then its registration. Each row is deleted
 * only while it still belongs to this registration, so a re-run after a crash never touches a
 * registration the host made since.
 */
import { z } from 'zod';
import { ROW } from '../infra/rowKinds.js';
import type { SiteHostRecord } from '../infra/siteInventory.js';
import { defineJobKind, type JobKindDefinition } from '../jobs/jobKind.js';
import { providerJobInput, providerRowName, type ProviderRecord } from './providerRecord.js';

/** Job kind of a provider's removal. */
export const PROVIDER_REMOVAL_JOB = 'providerRemoval';

export const providerRemovalKind: JobKindDefinition = defineJobKind({
  input: providerJobInput,
  progress: z.unknown(),
  async run({ input, repository, partition }) {
    const name = providerRowName(input.fabricName, input.hostName);
    const report = await repository.get<SiteHostRecord>(partition, ROW.siteHost, name);
    if (report && (report.value.providerName === undefined || report.value.providerName === input.providerName)) await repository.deleteRow(report);
    const provider = await repository.get<ProviderRecord>(partition, ROW.provider, name);
    if (provider && provider.value.name === input.providerName) await repository.deleteRow(provider);
    return 'done';
  },
});
