/**
 * Enable protection (`replicationProtectedItems` PUT): admission validates the request against the
 * vault's infrastructure and the site's inventory, then writes the item (`EnablingProtection`), its
 * job and the VM's protection mark in one transaction. The job (`workflows/enableProtectionJob.ts`)
 * prepares the recovery site, starts replication and hands the item over to the initial replication
 * job, which completes when the first recovery point makes the item `Protected`.
 */
import { randomUUID } from 'node:crypto';
import { parseInput } from '../arm/parseInput.js';
import { parseVaultChildId, sameVault, type VaultRef } from '../arm/resourceId.js';
import { enablingSnapshot } from '../domain/protectionState.js';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { newJob, type Job } from '../jobs/jobModel.js';
import { submitJob } from '../jobs/submitJob.js';
import { containerNameOf, fabricPath, type FabricRecord } from '../infra/fabrics.js';
import type { MappingRecord } from '../infra/mappings.js';
import { resolvePolicyRow } from '../infra/policies.js';
import { protectableItemPath } from '../infra/protectableItems.js';
import { ROW } from '../infra/rowKinds.js';
import { getSiteHealth, getSiteInventory, PROTECTION_MARK_ROW, type ProtectionMark, type SiteVm } from '../infra/siteInventory.js';
import type { RowAction } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { ItemJobInput } from './itemJobInput.js';
import { findProtectedItem, requireItemRoute, type ItemRoute } from './itemLookup.js';
import { taskNamesOf } from './itemWorkflow.js';
import { itemKeyOf, itemPathOf, itemRowName, PROTECTED_ITEM_JOB_TARGET, PROTECTED_ITEM_ROW, type ProtectedDisk, type ProtectedItemRecord } from './protectedItemRecord.js';
import { enableProtectionBody, type EnableProtectionBody } from './protectionInputs.js';
import { requireNetworkId, requireResourceGroupId } from './recoveryTargetIds.js';
import { requireFittingSize } from './recoverySizes.js';
import { affectedObjectsOf } from './itemJobSpec.js';
import { enableProtectionWorkflow } from './workflows/enableProtectionJob.js';
/** Size of the recovery VM when the request names none. */
export const DEFAULT_RECOVERY_VM_SIZE = 'Standard_D2s_v3';

const DETAILS = 'properties.providerSpecificDetails';

function badInput(field: string, problem: string): HttpError {
  return new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);
}

/** The policy must be the policy of a (live) mapping of this container. */
async function requireMappedPolicy(plane: Pick<ControlPlane, 'repository'>, vault: VaultRef, fabric: FabricRecord, policyId: string): Promise<MappingRecord> {
  const policy = await resolvePolicyRow(plane.repository, vault, policyId, 'properties.policyId');
  if (policy.value.provisioningState === 'Deleting') throw badInput('properties.policyId', `the policy ${JSON.stringify(policy.value.name)} is being deleted.`);
  for await (const row of plane.repository.listAll<MappingRecord>(vaultPartition(vault), ROW.mapping, { prefix: [fabric.name] })) {
    const mapping = row.value;
    if (mapping.policyName.toLowerCase() === policy.value.name.toLowerCase() && mapping.provisioningState === 'Succeeded') return mapping;
  }
  throw badInput('properties.policyId', `the policy ${JSON.stringify(policy.value.name)} is not associated with protection container ${JSON.stringify(containerNameOf(fabric.name))} by a protection container mapping.`);
}

/** The VM the protectable item id names, from the site's reported inventory. */
async function requireProtectableVm(plane: Pick<ControlPlane, 'repository'>, vault: VaultRef, fabric: FabricRecord, protectableItemId: string): Promise<SiteVm> {
  const field = 'properties.protectableItemId';
  const parsed = parseVaultChildId(protectableItemId);
  const [fabricSegment, containerSegment, itemSegment, ...rest] = parsed?.children ?? [];
  if (
    !parsed ||
    !sameVault(parsed.vault, vault) ||
    fabricSegment?.type.toLowerCase() !== 'replicationfabrics' ||
    containerSegment?.type.toLowerCase() !== 'replicationprotectioncontainers' ||
    itemSegment?.type.toLowerCase() !== 'replicationprotectableitems' ||
    rest.length > 0
  ) {
    throw badInput(field, 'must be the id of a protectable item of this vault.');
  }
  if (fabricSegment.name.toLowerCase() !== fabric.name.toLowerCase() || containerSegment.name.toLowerCase() !== containerNameOf(fabric.name).toLowerCase()) {
    throw badInput(field, `the protectable item must belong to protection container ${JSON.stringify(containerNameOf(fabric.name))}.`);
  }
  const inventory = await getSiteInventory(plane.repository, vaultPartition(vault), fabric.name);
  const vm = inventory.vms.find((candidate) => candidate.id.toLowerCase() === itemSegment.name.toLowerCase());
  if (!vm) throw new HttpError(404, 'ResourceNotFound', `The protectable item named by '${field}' (${JSON.stringify(itemSegment.name)}) was not found in the site's inventory.`, undefined, field);
  return vm;
}

/** The disks to protect: `disksToInclude` (all when absent); the OS disk (`vhdId`) must be among them. */
function includedDisks(vm: SiteVm, details: EnableProtectionBody['properties']['providerSpecificDetails']): ProtectedDisk[] {
  const byId = new Map(vm.disks.map((disk) => [disk.id.toLowerCase(), disk]));
  const osDisk = vm.disks.find((disk) => disk.isOsDisk);
  if (details.vhdId !== undefined) {
    const named = byId.get(details.vhdId.toLowerCase());
    if (!named) throw badInput(`${DETAILS}.vhdId`, `${JSON.stringify(details.vhdId)} is not a disk of VM ${JSON.stringify(vm.name)}.`);
    if (!named.isOsDisk) throw badInput(`${DETAILS}.vhdId`, `${JSON.stringify(details.vhdId)} is not the OS disk of VM ${JSON.stringify(vm.name)}.`);
  }
  let chosen = vm.disks;
  if (details.disksToInclude !== undefined) {
    chosen = [];
    for (const [index, id] of details.disksToInclude.entries()) {
      const disk = byId.get(id.toLowerCase());
      if (!disk) throw badInput(`${DETAILS}.disksToInclude.${index}`, `${JSON.stringify(id)} is not a disk of VM ${JSON.stringify(vm.name)}.`);
      if (!chosen.includes(disk)) chosen.push(disk);
    }
    if (osDisk && !chosen.includes(osDisk)) throw badInput(`${DETAILS}.disksToInclude`, `must include the OS disk ${JSON.stringify(osDisk.id)}.`);
  }
  return chosen.map((disk) => ({ diskId: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk, container: disk.container, blobName: disk.blobName }));
}

/** The VM's protection mark row action, conditional so two items cannot both protect one VM. */
async function markAction(plane: Pick<ControlPlane, 'repository'>, vault: VaultRef, fabricName: string, vm: SiteVm, itemId: string, now: Date): Promise<RowAction> {
  const existing = await plane.repository.get<ProtectionMark>(vaultPartition(vault), PROTECTION_MARK_ROW, [fabricName, vm.id]);
  if (existing?.value.protectedItemId) {
    throw new HttpError(409, 'VmAlreadyProtected', `VM ${JSON.stringify(vm.name)} is already protected by replication protected item ${JSON.stringify(existing.value.protectedItemId)}.`);
  }
  const mark: ProtectionMark = { vmId: vm.id, protectedItemId: itemId, markedAt: now.toISOString() };
  return existing
    ? { action: 'replace', kind: PROTECTION_MARK_ROW, name: [fabricName, vm.id], value: mark, etag: existing.etag }
    : { action: 'create', kind: PROTECTION_MARK_ROW, name: [fabricName, vm.id], value: mark };
}

/**
 * Admits enable protection. An existing item protecting the same VM is returned as is (no job); an
 * existing item of another VM is a 409.
 */
export async function enableProtection(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  vault: VaultRef,
  route: ItemRoute,
  body: unknown,
  now = new Date(),
): Promise<{ record: ProtectedItemRecord; job?: Job }> {
  const { fabric, fabricName, containerName } = await requireItemRoute(plane.repository, vault, route.fabricName, route.containerName, route.itemName);
  const input = parseInput(enableProtectionBody, body).properties;
  const details = input.providerSpecificDetails;
  if (fabric.instanceType !== 'HyperVSite') {
    throw new HttpError(400, 'InvalidParameter', `Fabric ${JSON.stringify(fabric.name)} is not a Hyper-V site; protection is enabled for VMs of a Hyper-V site's container.`, undefined, 'fabricName');
  }
  const vm = await requireProtectableVm(plane, vault, fabric, input.protectableItemId);
  const existing = await findProtectedItem(plane.repository, vault, fabricName, containerName, route.itemName);
  if (existing) {
    if (existing.value.vmId.toLowerCase() === vm.id.toLowerCase()) return { record: existing.value };
    throw new HttpError(409, 'ProtectedItemAlreadyExists', `Replication protected item ${JSON.stringify(route.itemName)} already exists and protects another VM.`);
  }
  const mapping = await requireMappedPolicy(plane, vault, fabric, input.policyId);
  if (details.hvHostVmId !== undefined && details.hvHostVmId.toLowerCase() !== vm.id.toLowerCase()) {
    throw badInput(`${DETAILS}.hvHostVmId`, `must be the id of the protectable item's VM (${JSON.stringify(vm.id)}).`);
  }
  const disks = includedDisks(vm, details);
  if (details.targetAzureNetworkId !== undefined) requireNetworkId(`${DETAILS}.targetAzureNetworkId`, details.targetAzureNetworkId);
  if (details.targetAzureV2ResourceGroupId !== undefined) requireResourceGroupId(`${DETAILS}.targetAzureV2ResourceGroupId`, details.targetAzureV2ResourceGroupId);
  const health = await getSiteHealth(plane.repository, vaultPartition(vault), fabric.name, now);
  if (!health.healthy) {
    throw new HttpError(409, health.error.code, `The Hyper-V site ${JSON.stringify(fabric.name)} is not healthy: ${health.error.message} ${health.error.recommendedAction}`);
  }

  const itemName = route.itemName;
  const identity = { vault, fabricName, containerName, name: itemName };
  const path = itemPathOf(identity);
  const jobInput: ItemJobInput = { fabricName, containerName, itemName, plan: [] };
  const job = newJob({
    kind: enableProtectionWorkflow.kind,
    vault,
    scenarioName: 'EnableDr',
    friendlyName: 'Enable replication',
    targetObjectId: path,
    targetObjectName: vm.name,
    targetInstanceType: PROTECTED_ITEM_JOB_TARGET,
    resultPath: path,
    fabricId: fabricPath(vault, fabricName),
    input: jobInput,
    tasks: taskNamesOf(enableProtectionWorkflow).map((name) => ({ name, taskType: 'JobTaskDetails' })),
    now,
  });
  const at = now.toISOString();
  const record: ProtectedItemRecord = {
    ...identity,
    itemKey: itemKeyOf(vault, fabricName, containerName, itemName),
    friendlyName: vm.name,
    protectableItemId: protectableItemPath(vault, fabricName, vm.id),
    vmId: vm.id,
    osType: details.osType ?? vm.osType,
    generation: vm.generation,
    cpuCount: vm.cpuCount,
    memoryMB: vm.memoryMB,
    policyName: mapping.policyName,
    mappingName: mapping.name,
    recoveryFabricName: mapping.targetFabricName,
    recoveryContainerName: mapping.targetContainerName,
    disks,
    recovery: {
      vmName: details.targetAzureVmName ?? vm.name,
      vmSize: details.targetVmSize ? requireFittingSize(`${DETAILS}.targetVmSize`, details.targetVmSize, { disks, generation: vm.generation }) : DEFAULT_RECOVERY_VM_SIZE,
      ...(details.targetAzureNetworkId ? { networkId: details.targetAzureNetworkId } : {}),
      ...(details.targetAzureSubnetId ? { subnetName: details.targetAzureSubnetId } : {}),
      ...(details.targetAzureV2ResourceGroupId ? { resourceGroupId: details.targetAzureV2ResourceGroupId } : {}),
      ...(details.targetStorageAccountId ? { storageAccountId: details.targetStorageAccountId } : {}),
    },
    state: enablingSnapshot,
    currentScenario: { scenarioName: job.scenarioName, jobId: job.jobId, startTime: job.startTime },
    replication: { generation: 0, token: randomUUID(), active: false, touchedAt: at, startedAt: at },
    createdAt: at,
    updatedAt: at,
  };
  job.affectedObjectDetails = affectedObjectsOf(record);
  const mark = await markAction(plane, vault, fabricName, vm, path, now);
  try {
    await submitJob(plane, job, [{ action: 'create', kind: PROTECTED_ITEM_ROW, name: itemRowName(record), value: record }, mark]);
  } catch (error) {
    if (error instanceof ConcurrencyError) {
      throw new HttpError(409, 'OperationInProgress', `Replication protected item ${JSON.stringify(itemName)} or VM ${JSON.stringify(vm.name)} was changed by another request; retry the request.`);
    }
    throw error;
  }
  return { record, job };
}
