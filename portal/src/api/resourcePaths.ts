/** ARM paths of the vault's resources, and the references the console's routes carry. */

/** A vault: its subscription, resource group and name. */
export interface VaultRef {
  subscriptionId: string;
  resourceGroup: string;
  vault: string;
}

/** A protected item: its fabric (site), protection container and name. */
export interface ItemRef {
  fabric: string;
  container: string;
  item: string;
}

const segment = (value: string): string => encodeURIComponent(value);

export function vaultPath(vault: VaultRef): string {
  return `/subscriptions/${segment(vault.subscriptionId)}/resourceGroups/${segment(vault.resourceGroup)}/providers/Microsoft.RecoveryServices/vaults/${segment(vault.vault)}`;
}

export function itemPath(vault: VaultRef, item: ItemRef): string {
  return `${vaultPath(vault)}/replicationFabrics/${segment(item.fabric)}/replicationProtectionContainers/${segment(item.container)}/replicationProtectedItems/${segment(item.item)}`;
}

export const jobPath = (vault: VaultRef, job: string): string => `${vaultPath(vault)}/replicationJobs/${segment(job)}`;
export const planPath = (vault: VaultRef, plan: string): string => `${vaultPath(vault)}/replicationRecoveryPlans/${segment(plan)}`;

/** The names in an ARM id after each of `keys` (case-insensitive), or `undefined` when one is missing. */
function namesAfter(id: string, keys: readonly string[]): string[] | undefined {
  const parts = id.split('/').filter(Boolean);
  const names: string[] = [];
  for (const key of keys) {
    const index = parts.findIndex((part) => part.toLowerCase() === key.toLowerCase());
    const name = index >= 0 ? parts[index + 1] : undefined;
    if (name === undefined) return undefined;
    names.push(decodeURIComponent(name));
  }
  return names;
}

/** The vault of an ARM id under it. */
export function vaultRefOf(id: string): VaultRef | undefined {
  const names = namesAfter(id, ['subscriptions', 'resourceGroups', 'vaults']);
  if (!names) return undefined;
  const [subscriptionId = '', resourceGroup = '', vault = ''] = names;
  return { subscriptionId, resourceGroup, vault };
}

/** The protected item an ARM id names (a protected item's id, or one under it). */
export function itemRefOf(id: string): ItemRef | undefined {
  const names = namesAfter(id, ['replicationFabrics', 'replicationProtectionContainers', 'replicationProtectedItems']);
  if (!names) return undefined;
  const [fabric = '', container = '', item = ''] = names;
  return { fabric, container, item };
}

/** The last segment of an ARM id (a job's name from `replicationJobs/{name}`). */
export function lastNameOf(id: string | undefined): string | undefined {
  const last = id?.split('/').filter(Boolean).at(-1);
  return last === undefined ? undefined : decodeURIComponent(last);
}
