/**
 * Versions of the host agent (the provider): the version this service ships with its local
 * Hyper-V host, and how a reported version stands against it. Pure.
 */

/** The agent version this service ships (the local Hyper-V host reports it). */
export const PROVIDER_AGENT_VERSION = '1.0.0.0';

/** The version of an agent whose reports carry none: the first agent, before reports named it. */
export const FIRST_AGENT_VERSION = '1.0.0.0';

/** The expiry shown for a version that does not expire (the current one). */
export const NO_EXPIRY = '9999-12-31T23:59:59Z';

/** Negative when `a` is older than `b`, 0 when equal, positive when newer (missing parts are 0). */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** How a provider's version stands: ASR's `providerVersionState` and the version details' status. */
export interface VersionStanding {
  version: string;
  providerVersionState: 'Latest' | 'Supported';
  status: 'Supported';
  expiryDate: string;
}

/** The standing of a reported version (`undefined`: the first agent's). */
export function versionStandingOf(reported: string | undefined): VersionStanding {
  const version = reported ?? FIRST_AGENT_VERSION;
  const latest = compareVersions(version, PROVIDER_AGENT_VERSION) >= 0;
  return { version, providerVersionState: latest ? 'Latest' : 'Supported', status: 'Supported', expiryDate: NO_EXPIRY };
}
