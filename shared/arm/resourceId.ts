/** ARM resource ids of the resources this API serves: parse and build. */

/** The provider namespace of vaults and their `replication*` children. */
export const RECOVERY_SERVICES = 'Microsoft.RecoveryServices';

/** Identifies one vault. */
export interface VaultRef {
  subscriptionId: string;
  resourceGroupName: string;
  vaultName: string;
}

/** One `{type}/{name}` pair of a resource id below the provider. */
export interface ResourceIdSegment {
  type: string;
  name: string;
}

/** A parsed ARM id: `/subscriptions/{s}[/resourceGroups/{rg}[/providers/{ns}/{type}/{name}...]]`. */
export interface ParsedResourceId {
  subscriptionId: string;
  resourceGroupName?: string;
  provider?: string;
  segments: ResourceIdSegment[];
}

/** Parses an ARM id (case-insensitive keywords); `undefined` when it is not one. */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  const parts = id.split('/');
  if (parts[0] !== '' || parts.length < 3) return undefined;
  const rest = parts.slice(1).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  if (rest.some((part) => part === '')) return undefined;
  if (rest[0]?.toLowerCase() !== 'subscriptions' || rest[1] === undefined) return undefined;
  const parsed: ParsedResourceId = { subscriptionId: rest[1], segments: [] };
  if (rest.length === 2) return parsed;
  if (rest[2]?.toLowerCase() !== 'resourcegroups' || rest[3] === undefined) return undefined;
  parsed.resourceGroupName = rest[3];
  if (rest.length === 4) return parsed;
  if (rest[4]?.toLowerCase() !== 'providers' || rest[5] === undefined) return undefined;
  parsed.provider = rest[5];
  const pairs = rest.slice(6);
  if (pairs.length === 0 || pairs.length % 2 !== 0) return undefined;
  for (let i = 0; i < pairs.length; i += 2) parsed.segments.push({ type: pairs[i] as string, name: pairs[i + 1] as string });
  return parsed;
}

/** The resource-group id `/subscriptions/{s}/resourceGroups/{rg}`. */
export function resourceGroupId(subscriptionId: string, resourceGroupName: string): string {
  return `/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroupName)}`;
}

/** The vault's id. */
export function vaultId(vault: VaultRef): string {
  return `${resourceGroupId(vault.subscriptionId, vault.resourceGroupName)}/providers/${RECOVERY_SERVICES}/vaults/${encodeURIComponent(vault.vaultName)}`;
}

/**
 * The id of a resource below the vault, from `[type, name]` pairs, e.g.
 * `vaultChildId(v, ['replicationFabrics', 'site'], ['replicationProtectionContainers', 'c'])`.
 */
export function vaultChildId(vault: VaultRef, ...pairs: Array<readonly [type: string, name: string]>): string {
  return vaultId(vault) + pairs.map(([type, name]) => `/${type}/${encodeURIComponent(name)}`).join('');
}

/**
 * Splits an id below a vault into the vault and the `{type}/{name}` pairs after it; `undefined`
 * when the id is not under a `Microsoft.RecoveryServices` vault.
 */
export function parseVaultChildId(id: string): { vault: VaultRef; children: ResourceIdSegment[] } | undefined {
  const parsed = parseResourceId(id);
  if (!parsed?.resourceGroupName || parsed.provider?.toLowerCase() !== RECOVERY_SERVICES.toLowerCase()) return undefined;
  const [first, ...children] = parsed.segments;
  if (first?.type.toLowerCase() !== 'vaults') return undefined;
  return {
    vault: { subscriptionId: parsed.subscriptionId, resourceGroupName: parsed.resourceGroupName, vaultName: first.name },
    children,
  };
}

/** Whether two vault references name the same vault (ARM names compare case-insensitively). */
export function sameVault(a: VaultRef, b: VaultRef): boolean {
  return (
    a.subscriptionId.toLowerCase() === b.subscriptionId.toLowerCase() &&
    a.resourceGroupName.toLowerCase() === b.resourceGroupName.toLowerCase() &&
    a.vaultName.toLowerCase() === b.vaultName.toLowerCase()
  );
}
