import type { VaultRef } from '../arm/resourceId.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';

/** Resources whose removal other resources can block. */
export type GuardedResource = 'fabric' | 'mapping' | 'policy';

/** The resource about to be removed. */
export interface GuardedTarget {
  vault: VaultRef;
  partition: string;
  /** ARM id (path) of the resource, e.g. the mapping's id. */
  id: string;
  name: string;
}

/** Returns descriptions of the resources that still depend on the target (empty when none). */
export type DependentsCheck = (repository: ControlPlaneRepository, target: GuardedTarget) => Promise<string[]>;

const checks = new Map<GuardedResource, DependentsCheck[]>();

/**
 * Registers a check that blocks removing a fabric, mapping or policy while something of another
 * module depends on it (e.g. protected items on a mapping). Register at module load.
 */
export function registerDependentsCheck(resource: GuardedResource, check: DependentsCheck): void {
  checks.set(resource, [...(checks.get(resource) ?? []), check]);
}

/** All dependents the registered checks report for the target. */
export async function findDependents(resource: GuardedResource, repository: ControlPlaneRepository, target: GuardedTarget): Promise<string[]> {
  const found = await Promise.all((checks.get(resource) ?? []).map((check) => check(repository, target)));
  return found.flat();
}
