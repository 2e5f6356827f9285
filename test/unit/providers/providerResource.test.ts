/** A provider as ASR shows it, and when it counts as connected, as pure functions. */
import { describe, expect, it } from 'vitest';
import type { VaultRef } from '../../../shared/arm/resourceId.js';
import type { ProviderRecord } from '../../../shared/providers/providerRecord.js';
import { connectionStatusOf, PROVIDER_DISCONNECTED_AFTER_MS, toProviderResource } from '../../../shared/providers/providerResource.js';
import { compareVersions, PROVIDER_AGENT_VERSION, versionStandingOf } from '../../../shared/providers/providerVersion.js';

const vault: VaultRef = { subscriptionId: 'sub', resourceGroupName: 'rg', vaultName: 'v' };
const now = new Date('2026-01-01T12:00:00.000Z');
const provider: ProviderRecord = { name: '6c1f6a3e-0000-4000-8000-000000000001', fabricName: 'site', hostName: 'hv-01.contoso.local', registeredAt: '2026-01-01T10:00:00.000Z', provisioningState: 'Succeeded' };
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();

describe('connectionStatusOf', () => {
  it(`is Connected until the host has not reported for ${PROVIDER_DISCONNECTED_AFTER_MS / 60_000} minutes`, () => {
    expect(connectionStatusOf(ago(PROVIDER_DISCONNECTED_AFTER_MS), now)).toBe('Connected');
    expect(connectionStatusOf(ago(PROVIDER_DISCONNECTED_AFTER_MS + 1), now)).toBe('NotConnected');
  });
});

describe('toProviderResource', () => {
  it('shows a reporting host as ASR shows a provider', () => {
    const resource = toProviderResource(vault, provider, { lastReport: { reportedAt: ago(60_000), agentVersion: PROVIDER_AGENT_VERSION }, protectedItemCount: 2, now });
    expect(resource).toMatchObject({
      id: `/subscriptions/sub/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/site/replicationRecoveryServicesProviders/${provider.name}`,
      name: provider.name,
      type: 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationRecoveryServicesProviders',
      properties: {
        fabricType: 'HyperVSite',
        friendlyName: 'hv-01.contoso.local',
        machineName: 'hv-01.contoso.local',
        fabricFriendlyName: 'site',
        providerVersion: PROVIDER_AGENT_VERSION,
        providerVersionState: 'Latest',
        lastHeartBeat: ago(60_000),
        connectionStatus: 'Connected',
        protectedItemCount: 2,
        allowedScenarios: ['Refresh'],
        healthErrorDetails: [],
        draIdentifier: provider.name,
        providerVersionDetails: { version: PROVIDER_AGENT_VERSION, status: 'Supported' },
      },
    });
  });

  it('a host that stopped reporting is NotConnected with the missing heartbeat as a health error, and allows no refresh', () => {
    const props = toProviderResource(vault, provider, { lastReport: { reportedAt: ago(3_600_000) }, protectedItemCount: 0, now }).properties as any;
    expect(props).toMatchObject({ connectionStatus: 'NotConnected', allowedScenarios: [] });
    expect(props.healthErrorDetails).toEqual([expect.objectContaining({ errorCode: 'SiteHostHeartbeatMissing', errorMessage: expect.stringContaining("'hv-01.contoso.local'"), recommendedAction: expect.any(String) })]);
  });

  it('a provider still registering allows no refresh; without a report its registration time is its heartbeat', () => {
    const props = toProviderResource(vault, { ...provider, provisioningState: 'Creating' }, { protectedItemCount: 0, now }).properties as any;
    expect(props).toMatchObject({ lastHeartBeat: provider.registeredAt, allowedScenarios: [], providerVersion: '1.0.0.0' });
  });
});

describe('versions', () => {
  it('compares dotted versions part by part', () => {
    expect(compareVersions('1.0.0.0', '1.0')).toBe(0);
    expect(compareVersions('1.2.0.0', '1.10.0.0')).toBeLessThan(0);
    expect(compareVersions('2.0', '1.9.9.9')).toBeGreaterThan(0);
  });

  it('a report without a version is the first agent; the shipped version is the latest', () => {
    expect(versionStandingOf(undefined)).toMatchObject({ version: '1.0.0.0', providerVersionState: 'Latest' });
    expect(versionStandingOf('0.9.0.0')).toMatchObject({ providerVersionState: 'Supported' });
  });
});
