/**
 * What blocks removing a fabric, a mapping, a policy or a provider: the resources that still use
 * it, in one table. A fabric is used by the mappings and network mappings that pair it and by the
 * items protected from or to it; a mapping by the items it protects; a policy by the mappings that
 * apply it and by their items; a provider by the items whose VM runs on its host.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { primaryOf, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { ROW } from './rowKinds.js';

/** Resources whose removal other resources can block. */
export type GuardedResource = 'fabric' | 'mapping' | 'policy' | 'provider';

/** The resource about to be removed: its name (a mapping's or provider's also its fabric, a provider's the VMs its host reported). */
export interface GuardedTarget {
  vault: VaultRef;
  partition: string;
  name: string;
  fabricName?: string;
  /** Lower-cased ids of the VMs a provider's host reported. */
  vmIds?: ReadonlySet<string>;
}

/** What a mapping row says about what it uses (a mapping record has these fields). */
interface MappingUse {
  name: string;
  sourceFabricName: string;
  targetFabricName: string;
  policyName: string;
}

/** What a network mapping row says about the fabrics it pairs. */
interface NetworkMappingUse {
  name: string;
  fabricName: string;
  recoveryFabricName: string;
}

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

interface Uses<T> {
  kind: string;
  describe(value: T): string;
  uses: Partial<Record<GuardedResource, (value: T, target: GuardedTarget) => boolean>>;
}

const mappings: Uses<MappingUse> = {
  kind: ROW.mapping,
  describe: (mapping) => `protection container mapping '${mapping.name}'`,
  uses: {
    fabric: (mapping, target) => same(mapping.sourceFabricName, target.name) || same(mapping.targetFabricName, target.name),
    policy: (mapping, target) => same(mapping.policyName, target.name),
  },
};

const networkMappings: Uses<NetworkMappingUse> = {
  kind: ROW.networkMapping,
  describe: (mapping) => `network mapping '${mapping.name}'`,
  uses: {
    fabric: (mapping, target) => same(mapping.fabricName, target.name) || same(mapping.recoveryFabricName, target.name),
  },
};

const protectedItems: Uses<ProtectedItemRecord> = {
  kind: PROTECTED_ITEM_ROW,
  describe: (item) => `replication protected item '${item.name}'`,
  uses: {
    fabric: (item, target) => same(item.fabricName, target.name) || same(item.recoveryFabricName, target.name),
    mapping: (item, target) => same(item.fabricName, target.fabricName) && same(item.mappingName, target.name),
    policy: (item, target) => same(item.policyName, target.name),
    provider: (item, target) => same(primaryOf(item).fabricName, target.fabricName) && (target.vmIds?.has(primaryOf(item).vmId.toLowerCase()) ?? false),
  },
};

async function using<T>(repository: ControlPlaneRepository, table: Uses<T>, resource: GuardedResource, target: GuardedTarget): Promise<string[]> {
  const uses = table.uses[resource];
  if (!uses) return [];
  const found: string[] = [];
  for await (const row of repository.listAll<T>(target.partition, table.kind)) if (uses(row.value, target)) found.push(table.describe(row.value));
  return found;
}

/** Descriptions of every resource that still uses the target (empty when none). */
export async function findDependents(resource: GuardedResource, repository: ControlPlaneRepository, target: GuardedTarget): Promise<string[]> {
  return [
    ...(await using(repository, mappings, resource, target)),
    ...(await using(repository, networkMappings, resource, target)),
    ...(await using(repository, protectedItems, resource, target)),
  ];
}
