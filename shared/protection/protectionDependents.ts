/**
 * Protected items block removing what they depend on: the container mapping that protects them
 * (and so, through it, the policy and both fabrics).
 */
import { registerDependentsCheck } from '../infra/dependents.js';
import { PROTECTED_ITEM_ROW, protectedItemPath, type ProtectedItemRecord } from './protectedItemRecord.js';

registerDependentsCheck('mapping', async (repository, target) => {
  const found: string[] = [];
  for await (const row of repository.listAll<ProtectedItemRecord>(target.partition, PROTECTED_ITEM_ROW)) {
    if (row.value.mappingName.toLowerCase() === target.name.toLowerCase()) {
      found.push(`protected item ${protectedItemPath(target.vault, row.value.fabricName, row.value.containerName, row.value.name)}`);
    }
  }
  return found;
});

registerDependentsCheck('fabric', async (repository, target) => {
  const found: string[] = [];
  for await (const row of repository.listAll<ProtectedItemRecord>(target.partition, PROTECTED_ITEM_ROW)) {
    const name = target.name.toLowerCase();
    if (row.value.fabricName.toLowerCase() === name || row.value.recoveryFabricName.toLowerCase() === name) {
      found.push(`protected item ${protectedItemPath(target.vault, row.value.fabricName, row.value.containerName, row.value.name)}`);
    }
  }
  return found;
});
