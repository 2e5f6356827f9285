/**
 * The virtual machines operations bring up: VMs at the recovery site created from a recovery point
 * (test failover, failover, change of point), and the original VM at the primary site brought back
 * on its own disks (failback).
 */
import type { BlobServiceClient } from '@azure/storage-blob';
import type { VaultRef } from '../arm/resourceId.js';
import { PermanentError } from '../errors/PermanentError.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';
import { vmDisksFromPoint } from '../replication/vmDisksFromPoint.js';
import { SiteError } from '../site/SiteError.js';
import type { HyperVSite } from '../site/hyperVSite.js';
import type { VmNetwork, VmOrigin } from '../site/types.js';
import { primaryOf, type ProtectedItemRecord } from './protectedItemRecord.js';
import type { ProtectionServices } from './protectionServices.js';

export interface RecoveryVmSpec {
  vmId: string;
  name: string;
  purpose: VmOrigin['purpose'];
  network: VmNetwork;
}

/** Creates (or finds) a VM at the recovery site from the point's snapshots (see `createVmAtSite`). */
export function createVmFromPoint(
  services: ProtectionServices,
  vault: VaultRef,
  item: ProtectedItemRecord,
  point: RecoveryPoint,
  spec: RecoveryVmSpec,
): Promise<'ready' | 'provisioning'> {
  return createVmAtSite(services.recoveryVmSite(vault, item.recoveryFabricName), item, point, spec);
}

/**
 * Creates (or finds) a VM at `site` from the point's snapshots (in `pointBlobs`' account when it is
 * not the site's own), running once its disks are copied. Bounded: 'provisioning' while copies run.
 */
export async function createVmAtSite(
  site: HyperVSite,
  item: ProtectedItemRecord,
  point: RecoveryPoint,
  spec: RecoveryVmSpec,
  pointBlobs?: BlobServiceClient,
): Promise<'ready' | 'provisioning'> {
  await site.ensure();
  if (!(await site.getVm(spec.vmId))) {
    await site.createVmFromSnapshots({
      id: spec.vmId,
      name: spec.name,
      osType: item.osType,
      generation: item.generation === 1 ? 1 : 2,
      cpuCount: item.cpuCount,
      memoryMB: item.memoryMB,
      vmSize: item.recovery.vmSize,
      network: spec.network,
      origin: { itemKey: item.itemKey, pointId: point.id, purpose: spec.purpose },
      powerState: 'Running',
      historySeq: point.seq,
      disks: vmDisksFromPoint(
        point,
        item.disks.map((disk) => ({ id: disk.diskId, name: disk.name, isOsDisk: disk.isOsDisk })),
        pointBlobs,
      ),
    });
  }
  const provisioning = await site.vmProvisioning(spec.vmId);
  if (provisioning.state === 'Failed') {
    throw new PermanentError(`The virtual machine '${spec.name}' could not be created: ${provisioning.error ?? 'a disk copy failed'}.`, {
      code: 'RecoveryVmCreationFailed',
      recommendedAction: 'Check the storage of the site the virtual machine is created at, then retry the operation.',
    });
  }
  return provisioning.state === 'Succeeded' ? 'ready' : 'provisioning';
}

/** Shuts down and deletes a VM the service created at the recovery site, with its disks (idempotent). */
export async function deleteRecoveryVm(services: ProtectionServices, vault: VaultRef, item: ProtectedItemRecord, vmId: string): Promise<void> {
  const site = services.recoveryVmSite(vault, item.recoveryFabricName);
  const vm = await site.getVm(vmId);
  if (!vm) return;
  if (vm.fenced) await site.unfence(vmId);
  if (vm.powerState === 'Running') await site.shutdown(vmId);
  await site.removeVm(vmId);
}

/**
 * Makes the original disks hold exactly the reverse recovery point: when they hold a later point or
 * a partly applied cycle, each disk is copied back from the point's snapshot under the fence lease.
 * Returns 'done' once every disk holds the point.
 */
export async function restoreOriginalDisks(services: ProtectionServices, vault: VaultRef, item: ProtectedItemRecord, point: RecoveryPoint): Promise<'done' | 'copying'> {
  if (item.replication.lastPointId === point.id && !item.replication.cycle) return 'done';
  const primary = primaryOf(item);
  const site = services.site(vault, primary.fabricName);
  const leaseId = site.fenceLeaseId(primary.vmId);
  let pending = false;
  for (const disk of point.disks) {
    const blob = site.blobs.getContainerClient(disk.container).getPageBlobClient(disk.replicaBlob);
    const properties = await blob.getProperties();
    const marker = `${point.id}`;
    if (properties.metadata?.restoredfrom === marker && properties.copyStatus === 'success') continue;
    if (properties.metadata?.restoredfrom === marker && properties.copyStatus === 'pending') {
      pending = true;
      continue;
    }
    const source = blob.withSnapshot(disk.snapshot).url;
    await blob.beginCopyFromURL(source, { conditions: { leaseId }, metadata: { ...properties.metadata, restoredfrom: marker } });
    pending = true;
  }
  return pending ? 'copying' : 'done';
}

/** Hands the original disks back to the primary site and starts the VM on them. */
export async function startPrimaryVm(services: ProtectionServices, vault: VaultRef, item: ProtectedItemRecord, point: RecoveryPoint): Promise<void> {
  const primary = primaryOf(item);
  const site = services.site(vault, primary.fabricName);
  const vm = await site.getVm(primary.vmId);
  if (!vm) {
    throw new PermanentError(`The virtual machine '${item.friendlyName}' no longer exists at site '${primary.fabricName}'.`, {
      code: 'OriginalVmNotFound',
      recommendedAction: 'Restore the virtual machine at the primary site, then retry the failback.',
    });
  }
  if (vm.fenced) await site.unfence(primary.vmId, { historySeq: point.seq });
  if (vm.powerState !== 'Running') {
    try {
      await site.start(primary.vmId);
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      throw new PermanentError(`The virtual machine '${item.friendlyName}' could not be started: ${error.message}`, { code: 'VmStartFailed' });
    }
  }
}
