/** Deletes events and queue-command records older than the retention (`SiteRecoveryEventRetentionDays`). */
import type { Deps } from '../deps.js';
import { createCommandRecords } from '../automation/commandRecords.js';
import { VAULT_ROW, vaultRefOf, type VaultRecord } from '../infra/vaults.js';

const DAY_MS = 86_400_000;

export async function pruneEvents(deps: Deps, now: Date): Promise<{ events: number; commands: number }> {
  const before = new Date(now.getTime() - deps.config.automation.eventRetentionDays * DAY_MS);
  let events = 0;
  for await (const row of deps.plane.repository.listEveryPartition<VaultRecord>(VAULT_ROW)) {
    events += await deps.plane.events.prune(vaultRefOf(row.value), before);
  }
  const commands = await createCommandRecords(deps.plane.repository).prune(before);
  return { events, commands };
}
