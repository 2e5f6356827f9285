/** The recovery site's VM sizes as they apply to one protected item (`targetComputeSizes`, size checks). */
import type { VaultRef } from '../arm/resourceId.js';
import type { ArmResource } from '../arm/armResource.js';
import { COMPUTE_SIZES, findComputeSize, sizeErrors, type ComputeSize, type SizeFitInput } from '../domain/computeSizes.js';
import { HttpError } from '../errors/HttpError.js';
import { itemPathOf, type ProtectedItemRecord } from './protectedItemRecord.js';

const TARGET_COMPUTE_SIZE_TYPE = 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems/targetComputeSizes';

/** What a size must hold of the item's VM: its data disks, its one network adapter, its generation. */
export const fitOf = (record: Pick<ProtectedItemRecord, 'disks' | 'generation'>): SizeFitInput => ({
  dataDiskCount: record.disks.filter((disk) => !disk.isOsDisk).length,
  nicCount: 1,
  generation: record.generation,
});

/** The size's name as stored, when the recovery site offers it and it can run the item's VM; else a 400 naming `field`. */
export function requireFittingSize(field: string, name: string, record: Pick<ProtectedItemRecord, 'disks' | 'generation'>): string {
  const found = findComputeSize(name);
  if (!found) {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': the recovery site offers no size ${JSON.stringify(name)}; it offers ${COMPUTE_SIZES.map((candidate) => candidate.name).join(', ')}.`, undefined, field);
  }
  const [problem] = sizeErrors(found, fitOf(record));
  if (problem) throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem.message}`, undefined, field);
  return found.name;
}

function toTargetComputeSize(path: string, candidate: ComputeSize, record: ProtectedItemRecord): ArmResource {
  const errors = sizeErrors(candidate, fitOf(record));
  return {
    id: `${path}/targetComputeSizes/${candidate.name}`,
    name: candidate.name,
    type: TARGET_COMPUTE_SIZE_TYPE,
    properties: {
      name: candidate.name,
      friendlyName: candidate.name,
      cpuCoresCount: candidate.cpuCoresCount,
      vCPUsAvailable: candidate.cpuCoresCount,
      memoryInGB: candidate.memoryInGB,
      maxDataDiskCount: candidate.maxDataDiskCount,
      maxNicsCount: candidate.maxNicsCount,
      errors: errors.length > 0 ? errors.map((error) => ({ message: error.message, severity: error.severity })) : null,
      highIopsSupported: candidate.highIopsSupported,
      hyperVGenerations: candidate.hyperVGenerations,
    },
  };
}

/** Every size of the recovery site, each with the errors that keep it from running the item's VM. Pure. */
export function targetComputeSizesOf(vault: VaultRef, record: ProtectedItemRecord): ArmResource[] {
  const path = itemPathOf({ ...record, vault });
  return COMPUTE_SIZES.map((candidate) => toTargetComputeSize(path, candidate, record));
}

