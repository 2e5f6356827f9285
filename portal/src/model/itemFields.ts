/** What the blades read from a protected item, in one place. */
import { itemRefOf, type ItemRef } from '../api/resourcePaths.js';
import type { ProtectedItem } from '../api/types.js';

/** ASR warns about a replicated VM without a successful test failover in this many days. */
export const TEST_FAILOVER_OVERDUE_DAYS = 180;
const DAY_MS = 86_400_000;

/** The item's fabric, container and name, from its id. */
export function itemRefOfItem(item: ProtectedItem): ItemRef {
  return itemRefOf(item.id) ?? { fabric: item.properties.primaryFabricFriendlyName ?? '', container: item.properties.primaryProtectionContainerFriendlyName ?? '', item: item.name };
}

export const itemNameOf = (item: ProtectedItem): string => item.properties.friendlyName ?? item.name;

/** The state as ASR words it (`Protected`, `Cleanup test failover pending`, …). */
export const stateOf = (item: ProtectedItem): string => item.properties.protectionStateDescription ?? item.properties.protectionState ?? '';

export const rpoSecondsOf = (item: ProtectedItem): number | undefined => item.properties.providerSpecificDetails?.rpoInSeconds;

export const lastPointTimeOf = (item: ProtectedItem): string | undefined => item.properties.providerSpecificDetails?.lastRecoveryPointReceived;

/** The test failover's state as ASR words it (`None`, `Waiting for user input`, …). */
export const testFailoverStatusOf = (item: ProtectedItem): string => item.properties.testFailoverStateDescription ?? item.properties.testFailoverState ?? '';

/** Replication is late: its health is Warning or Critical. */
export const breachesRpo = (item: ProtectedItem): boolean => item.properties.replicationHealth === 'Warning' || item.properties.replicationHealth === 'Critical';

/** A protected VM with no successful test failover in the last 180 days. */
export function testFailoverOverdue(item: ProtectedItem, now = Date.now()): boolean {
  if (item.properties.protectionState !== 'Protected') return false;
  const last = item.properties.lastSuccessfulTestFailoverTime;
  return !last || now - Date.parse(last) > TEST_FAILOVER_OVERDUE_DAYS * DAY_MS;
}

/** The id of the job the item runs now, if any (`currentScenario`; `None` when idle). */
export function currentJobNameOf(item: ProtectedItem): string | undefined {
  const scenario = item.properties.currentScenario;
  if (!scenario || scenario.scenarioName === 'None') return undefined;
  const name = scenario.jobId?.split('/').filter(Boolean).at(-1);
  return name && name !== 'None' ? name : undefined;
}

/** Where replication goes: from the active location to the other site. */
export function sitesOf(item: ProtectedItem): { active: string; other: string; primary: string; recovery: string } {
  const primary = item.properties.primaryFabricFriendlyName ?? 'the primary site';
  const recovery = item.properties.recoveryFabricFriendlyName ?? 'the recovery site';
  const atRecovery = item.properties.activeLocation === 'Recovery';
  return { primary, recovery, active: atRecovery ? recovery : primary, other: atRecovery ? primary : recovery };
}
