/**
 * Writes on protection containers. A site has exactly one container, created and removed with the
 * site (as a Hyper-V site's is in ASR): `create` of that container returns it, of any other name is a
 * 400 that says so; `remove` is refused while mappings or protected items use it, and otherwise
 * points at removing the site. `discoverProtectableItem` looks the named VM up in what the site's
 * hosts last reported: the job succeeds when a host reports it (it is then protectable) and fails,
 * saying so, when none does.
 */
import { z } from 'zod';
import { parseInput } from '../arm/parseInput.js';
import type { VaultRef } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { jobError, newJob, type Job } from '../jobs/jobModel.js';
import { recordCompletedJob } from '../jobs/recordCompletedJob.js';
import { vaultPartition } from '../repos/partitions.js';
import { findDependents } from './dependents.js';
import { containerNameOf, containerPath, fabricPath, requireFabric, type FabricRecord } from './fabrics.js';
import { requireContainer } from './mappings.js';
import { PROVISIONING_JOB } from './provisioningJob.js';
import { getSiteInventory } from './siteInventory.js';

/** The body of `PUT …/replicationProtectionContainers/{container}` (a missing body reads as `{}`). */
export const createContainerBody = z.object({
  properties: z.object({ providerSpecificInput: z.array(z.object({ instanceType: z.string().min(1).max(64) }).loose()).max(8).optional() }).optional(),
});

/** The body of `POST …/replicationProtectionContainers/{container}/discoverProtectableItem`. */
export const discoverProtectableItemBody = z.object({
  properties: z.object({
    friendlyName: z.string('is required').min(1, 'is required').max(256),
    ipAddress: z.string().max(64).optional(),
    osType: z.string().max(64).optional(),
  }),
});

/** `PUT` of a container: the site's own container (200 with it), or a 400 naming the one it has. */
export async function putContainer(plane: ControlPlane, vault: VaultRef, fabricName: string, containerName: string, body: unknown): Promise<FabricRecord> {
  parseInput(createContainerBody, body ?? {});
  const fabric = (await requireFabric(plane.repository, vault, fabricName)).value;
  const own = containerNameOf(fabric.name);
  if (containerName.toLowerCase() !== own.toLowerCase()) {
    throw new HttpError(400, 'InvalidParameter', `Site ${JSON.stringify(fabric.name)} has one protection container, ${JSON.stringify(own)}, created with the site; another cannot be added.`, undefined, 'protectionContainerName');
  }
  return fabric;
}

/** `remove` of a container: 409 naming what uses it; else a 400 saying it goes with its site. */
export async function removeContainer(plane: ControlPlane, vault: VaultRef, fabricName: string, containerName: string): Promise<never> {
  const fabric = (await requireContainer(plane.repository, vault, fabricName, containerName)).value;
  const dependents = await findDependents('fabric', plane.repository, { vault, partition: vaultPartition(vault), name: fabric.name });
  if (dependents.length > 0) {
    throw new HttpError(409, 'ContainerInUse', `Protection container ${JSON.stringify(containerName)} is used by ${dependents.join(', ')}; remove those first.`);
  }
  throw new HttpError(400, 'OperationNotSupported', `Protection container ${JSON.stringify(containerName)} is removed with its site: remove fabric ${JSON.stringify(fabric.name)} (POST .../replicationFabrics/${fabric.name}/remove).`);
}

/** `discoverProtectableItem`: a job, finished, on whether the site's hosts report the named VM. */
export async function discoverProtectableItem(plane: ControlPlane, vault: VaultRef, fabricName: string, containerName: string, body: unknown): Promise<Job> {
  const input = parseInput(discoverProtectableItemBody, body).properties;
  const fabric = (await requireContainer(plane.repository, vault, fabricName, containerName)).value;
  const inventory = fabric.instanceType === 'HyperVSite' ? await getSiteInventory(plane.repository, vaultPartition(vault), fabric.name) : undefined;
  const found = inventory?.vms.find((vm) => vm.name.toLowerCase() === input.friendlyName.toLowerCase());
  const now = new Date();
  const job = newJob({
    kind: PROVISIONING_JOB,
    vault,
    scenarioName: 'DiscoverProtectableItem',
    friendlyName: 'Discover protectable item',
    targetObjectId: containerPath(vault, fabric.name),
    targetObjectName: containerNameOf(fabric.name),
    targetInstanceType: 'ProtectionContainer',
    resultPath: containerPath(vault, fabric.name),
    fabricId: fabricPath(vault, fabric.name),
    input: {},
    tasks: [{ name: 'Discovering the virtual machine', taskType: 'JobTaskDetails' }],
    now,
  });
  const notFound = jobError('ProtectableItemNotFound', `No host of site '${fabric.name}' reports a virtual machine named '${input.friendlyName}'.`, {
    possibleCauses: fabric.instanceType === 'HyperVSite' ? 'The VM is on a host that does not report to the vault, or it has another name.' : 'Only Hyper-V sites have protectable items.',
    recommendedAction: "Register the VM's host with the vault's registration key; protectable items appear with its next report.",
  });
  return recordCompletedJob(plane, job, found ? { state: 'Succeeded' } : { state: 'Failed', errors: [notFound] }, now);
}
