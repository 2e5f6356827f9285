/** Providers for a response: each with its host's last report and the protected items whose VM runs on the host. */
import type { ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import { findDependents } from '../infra/dependents.js';
import { getHostReport, type SiteHostRecord } from '../infra/siteInventory.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ProviderRecord } from './providerRecord.js';
import { toProviderResource } from './providerResource.js';

/** The provider's host's last report, if it was recorded with this registration. */
export async function reportOf(repository: ControlPlaneRepository, vault: VaultRef, provider: ProviderRecord): Promise<SiteHostRecord | undefined> {
  const report = await getHostReport(repository, vaultPartition(vault), provider.fabricName, provider.hostName);
  return report && (report.providerName === undefined || report.providerName === provider.name) ? report : undefined;
}

/** Descriptions of the protected items whose VM runs on the provider's host (empty when none). */
export function protectedItemsOnHost(repository: ControlPlaneRepository, vault: VaultRef, provider: ProviderRecord, report: SiteHostRecord | undefined): Promise<string[]> {
  return findDependents('provider', repository, {
    vault,
    partition: vaultPartition(vault),
    name: provider.name,
    fabricName: provider.fabricName,
    vmIds: new Set((report?.vms ?? []).map((vm) => vm.id.toLowerCase())),
  });
}

/** The providers as ASR shows them. */
export async function describeProviders(repository: ControlPlaneRepository, vault: VaultRef, providers: readonly ProviderRecord[], now = new Date()): Promise<ArmResource[]> {
  return Promise.all(
    providers.map(async (provider) => {
      const report = await reportOf(repository, vault, provider);
      const protectedItems = await protectedItemsOnHost(repository, vault, provider, report);
      return toProviderResource(vault, provider, {
        ...(report ? { lastReport: { reportedAt: report.reportedAt, ...(report.agentVersion ? { agentVersion: report.agentVersion } : {}) } } : {}),
        protectedItemCount: protectedItems.length,
        now,
      });
    }),
  );
}
