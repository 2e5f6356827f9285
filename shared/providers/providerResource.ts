/**
 * A provider as ASR shows it (`RecoveryServicesProviderProperties`). Pure: the caller gathers the
 * host's last report and the count of protected VMs on it.
 *
 * Connection: a provider is `Connected` while its host reports; once the host has not reported for
 * `PROVIDER_DISCONNECTED_AFTER_MS` (the heartbeat timeout after which its site is unhealthy too) it
 * is `NotConnected`, shows the missing heartbeat as a health error and allows no refresh.
 */
import { armResource, type ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import { HEARTBEAT_TIMEOUT_MS, siteHealthOf } from '../infra/siteInventory.js';
import { PROVIDER_TYPE, providerPath, type ProviderRecord } from './providerRecord.js';
import { versionStandingOf } from './providerVersion.js';

/** A provider whose host has not reported for longer than this is `NotConnected`. */
export const PROVIDER_DISCONNECTED_AFTER_MS = HEARTBEAT_TIMEOUT_MS;

export type ConnectionStatus = 'Connected' | 'NotConnected';

/** Whether a host whose last report was at `lastHeartBeat` is connected at `now`. */
export function connectionStatusOf(lastHeartBeat: string, now: Date): ConnectionStatus {
  return now.getTime() - Date.parse(lastHeartBeat) > PROVIDER_DISCONNECTED_AFTER_MS ? 'NotConnected' : 'Connected';
}

/** What the view needs besides the provider's record. */
export interface ProviderFacts {
  /** The host's last report: its time and agent version (absent once the host's report is gone). */
  lastReport?: { reportedAt: string; agentVersion?: string };
  /** Protected items whose VM runs on the host. */
  protectedItemCount: number;
  now: Date;
}

/** The provider as `replicationRecoveryServicesProviders` GET returns it. */
export function toProviderResource(vault: VaultRef, provider: ProviderRecord, facts: ProviderFacts): ArmResource {
  const lastHeartBeat = facts.lastReport?.reportedAt ?? provider.registeredAt;
  const connectionStatus = connectionStatusOf(lastHeartBeat, facts.now);
  const standing = versionStandingOf(facts.lastReport?.agentVersion);
  const health = siteHealthOf([{ hostName: provider.hostName, reportedAt: lastHeartBeat }], facts.now);
  const healthErrorDetails = health.healthy
    ? []
    : [
        {
          errorSource: 'RecoveryServicesProvider',
          errorType: 'Heartbeat',
          errorLevel: 'Warning',
          errorCategory: 'Connectivity',
          errorCode: health.error.code,
          summaryMessage: health.error.message,
          errorMessage: health.error.message,
          possibleCauses: health.error.possibleCauses,
          recommendedAction: health.error.recommendedAction,
          creationTimeUtc: new Date(Date.parse(lastHeartBeat) + PROVIDER_DISCONNECTED_AFTER_MS).toISOString(),
          entityId: provider.name,
          customerResolvability: 'Allowed',
        },
      ];
  return armResource(providerPath(vault, provider.fabricName, provider.name), provider.name, PROVIDER_TYPE, {
    fabricType: 'HyperVSite',
    friendlyName: provider.hostName,
    providerVersion: standing.version,
    serverVersion: standing.version,
    providerVersionState: standing.providerVersionState,
    providerVersionExpiryDate: standing.expiryDate,
    fabricFriendlyName: provider.fabricName,
    lastHeartBeat,
    connectionStatus,
    protectedItemCount: facts.protectedItemCount,
    allowedScenarios: connectionStatus === 'Connected' && provider.provisioningState === 'Succeeded' ? ['Refresh'] : [],
    healthErrorDetails,
    draIdentifier: provider.name,
    machineName: provider.hostName,
    providerVersionDetails: { version: standing.version, expiryDate: standing.expiryDate, status: standing.status },
  });
}
