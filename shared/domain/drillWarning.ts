/** When a failover warns that the item was not drilled: ASR's "test failover not done recently". Pure. */

/** A failover warns when the item's last successful test failover is older than this (or never ran). */
export const TEST_FAILOVER_WARNING_DAYS = 180;

/** The warning's text, or `undefined` when the item passed a test failover within the window. */
export function drillWarning(item: { friendlyName: string; lastSuccessfulTestFailoverTime?: string | undefined }, now: Date): string | undefined {
  const last = item.lastSuccessfulTestFailoverTime;
  if (last && now.getTime() - Date.parse(last) <= TEST_FAILOVER_WARNING_DAYS * 86_400_000) return undefined;
  return last
    ? `The last successful test failover of '${item.friendlyName}' was on ${last}, more than ${TEST_FAILOVER_WARNING_DAYS} days ago.`
    : `'${item.friendlyName}' has never completed a test failover.`;
}
