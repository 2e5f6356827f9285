import { z } from 'zod';
import { armResource, type ArmResource } from '../arm/armResource.js';
import { parseInput } from '../arm/parseInput.js';
import { resourceGroupId } from '../arm/resourceId.js';
import { validateName } from '../arm/validateName.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { subscriptionPartition } from '../repos/partitions.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { ROW } from './rowKinds.js';

/** Row kind of resource groups (partition: the subscription). */
export const RESOURCE_GROUP_ROW = ROW.resourceGroup;

/** A stored resource group. */
export interface ResourceGroupRecord {
  subscriptionId: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
}

/** The body of `PUT /subscriptions/{s}/resourcegroups/{rg}` (a missing body reads as `{}`). */
export const putResourceGroupBody = z.object({
  location: z.string().min(1, 'is required').max(64),
  tags: z.record(z.string(), z.string()).optional(),
});

/** The `Microsoft.Resources/resourceGroups` resource. */
export function toResourceGroupResource(group: ResourceGroupRecord): ArmResource {
  const resource = armResource(resourceGroupId(group.subscriptionId, group.name), group.name, 'Microsoft.Resources/resourceGroups', { provisioningState: 'Succeeded' }, group.location);
  if (group.tags) resource.tags = group.tags;
  return resource;
}

/** The resource group, or 404 `ResourceGroupNotFound`. */
export async function requireResourceGroup(repository: ControlPlaneRepository, subscriptionId: string, name: string): Promise<ResourceGroupRecord> {
  const row = await repository.get<ResourceGroupRecord>(subscriptionPartition(subscriptionId), RESOURCE_GROUP_ROW, name);
  if (!row) throw new HttpError(404, 'ResourceGroupNotFound', `Resource group ${JSON.stringify(name)} could not be found.`);
  return row.value;
}

/** Creates or updates a resource group; `created` tells 201 from 200. */
export async function putResourceGroup(
  repository: ControlPlaneRepository,
  subscriptionId: string,
  name: string,
  body: unknown,
): Promise<{ group: ResourceGroupRecord; created: boolean }> {
  validateName('subscriptionId', subscriptionId);
  validateName('resourceGroupName', name);
  const input = parseInput(putResourceGroupBody, body ?? {});
  const partition = subscriptionPartition(subscriptionId);
  const existing = await repository.get<ResourceGroupRecord>(partition, RESOURCE_GROUP_ROW, name);
  const group: ResourceGroupRecord = { subscriptionId, name: existing?.value.name ?? name, location: input.location, ...(input.tags ? { tags: input.tags } : {}) };
  if (!existing) {
    await repository.create(partition, RESOURCE_GROUP_ROW, name, group);
    return { group, created: true };
  }
  if (existing.value.location.toLowerCase() !== input.location.toLowerCase()) {
    throw new HttpError(409, 'InvalidResourceGroupLocation', `Resource group ${JSON.stringify(name)} already exists in location '${existing.value.location}'.`);
  }
  await repository.replace(existing, group);
  return { group, created: false };
}

/** Deletes a resource group; 409 while it holds vaults. Idempotent. */
export async function deleteResourceGroup(repository: ControlPlaneRepository, subscriptionId: string, name: string, hasVaults: () => Promise<boolean>): Promise<boolean> {
  const partition = subscriptionPartition(subscriptionId);
  const row = await repository.get<ResourceGroupRecord>(partition, RESOURCE_GROUP_ROW, name);
  if (!row) return false;
  if (await hasVaults()) throw new HttpError(409, 'ResourceGroupNotEmpty', `Resource group ${JSON.stringify(name)} still contains vaults; delete them first.`);
  try {
    await repository.delete(partition, RESOURCE_GROUP_ROW, name, row.etag);
  } catch (error) {
    if (!(error instanceof ConcurrencyError && error.reason === 'missing')) throw error;
  }
  return true;
}
