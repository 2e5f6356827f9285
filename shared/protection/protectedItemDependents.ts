/**
 * Protected items block removing what they use: their source or recovery fabric, their mapping and
 * their policy. Registered with the infrastructure's removal checks when this module loads.
 */
import { registerDependentsCheck, type GuardedResource, type GuardedTarget } from '../infra/dependents.js';
import { mappingPath } from '../infra/mappings.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from './protectedItemRecord.js';

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

const uses: Record<GuardedResource, (item: ProtectedItemRecord, target: GuardedTarget) => boolean> = {
  fabric: (item, target) => same(item.fabricName, target.name) || same(item.recoveryFabricName, target.name),
  mapping: (item, target) =>
    same(mappingPath(target.vault, { sourceFabricName: item.fabricName, sourceContainerName: item.containerName, name: item.mappingName }), target.id),
  policy: (item, target) => same(item.policyName, target.name),
};

function itemsUsing(resource: GuardedResource) {
  return async (repository: ControlPlaneRepository, target: GuardedTarget): Promise<string[]> => {
    const found: string[] = [];
    for await (const row of repository.listAll<ProtectedItemRecord>(target.partition, PROTECTED_ITEM_ROW)) {
      if (uses[resource](row.value, target)) found.push(`replication protected item '${row.value.name}'`);
    }
    return found;
  };
}

for (const resource of Object.keys(uses) as GuardedResource[]) registerDependentsCheck(resource, itemsUsing(resource));
