/**
 * What blocks removing a fabric, a mapping or a policy: the resources that still use it, in one
 * table. A fabric is used by the mappings that pair it and by the items protected from or to it; a
 * mapping by the items it protects; a policy by the mappings that apply it and by their items.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { ROW } from './rowKinds.js';

/** Resources whose removal other resources can block. */
export type GuardedResource = 'fabric' | 'mapping' | 'policy';

/** The resource about to be removed: its name (a mapping's also its source fabric). */
export interface GuardedTarget {
  vault: VaultRef;
  partition: string;
  name: string;
  fabricName?: string;
}

/** What a mapping row says about what it uses (a mapping record has these fields). */
interface MappingUse {
  name: string;
  sourceFabricName: string;
  targetFabricName: string;
  policyName: string;
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

const protectedItems: Uses<ProtectedItemRecord> = {
  kind: PROTECTED_ITEM_ROW,
  describe: (item) => `replication protected item '${item.name}'`,
  uses: {
    fabric: (item, target) => same(item.fabricName, target.name) || same(item.recoveryFabricName, target.name),
    mapping: (item, target) => same(item.fabricName, target.fabricName) && same(item.mappingName, target.name),
    policy: (item, target) => same(item.policyName, target.name),
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
  return [...(await using(repository, mappings, resource, target)), ...(await using(repository, protectedItems, resource, target))];
}
