/**
 * The virtual machines operations bring up: VMs at the recovery site created from a recovery point
 * (test failover, failover, change of point), the VM a failback to another site creates there, and
 * the original VM brought back on its own disks (failback).
 */
import { withSpan } from '../tracing/withSpan.js';
import { createHash } from 'node:crypto';
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { PermanentError } from '../errors/PermanentError.js';
import { SiteError } from '../errors/SiteError.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';
import { vmDisksFromPoint } from '../replication/vmDisksFromPoint.js';
import type { SiteAdapter } from '../site/SiteAdapter.js';
import type { VmNetwork, VmOrigin } from '../site/types.js';
import { primaryOf, type ProtectedItemRecord } from './protectedItemRecord.js';

export interface RecoveryVmSpec {
  vmId: string;
  name: string;
  purpose: VmOrigin['purpose'];
  network: VmNetwork;
}

/** A stable GUID for a VM an operation creates, so a re-run step finds the same VM. */
export function vmIdFor(jobId: string, purpose: string): string {
  const hex = createHash('sha256').update(`${jobId}\n${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Creates (or finds) a VM at `site` from the point's snapshots, running once its disks are copied.
 * Bounded: 'provisioning' while the copies run. Each call makes sure the copies have started (a
 * step cut short between recording the VM and starting them is completed by its re-run).
 */
export async function createVmAtSite(deps: Pick<Deps, 'sites'>, site: SiteAdapter, item: ProtectedItemRecord, point: RecoveryPoint, spec: RecoveryVmSpec): Promise<'ready' | 'provisioning'> {
  await site.ensure();
  try {
    await withSpan('site.createVmFromSnapshots', { attributes: { vmId: spec.vmId, 'vm.purpose': spec.purpose, 'replication.point_id': point.id, 'vm.disks': point.disks.length } }, () => site.createVmFromSnapshots({
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
        deps.sites.pointSnapshot,
      ),
    }));
  } catch (error) {
    if (!(error instanceof SiteError && (error.code === 'VmRemoved' || error.code === 'VmNotFound'))) throw error;
    throw new PermanentError(`The virtual machine '${spec.name}' was deleted while it was being created.`, {
      code: 'RecoveryVmDeleted',
      possibleCauses: 'A cleanup, cancel or commit of the item deleted it, or it was removed at the site.',
      recommendedAction: 'Retry the operation.',
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

/**
 * Shuts down and deletes a VM the service created at the recovery site, with its disks
 * (idempotent). Its id stays retired, so a late duplicate of the step that created it cannot bring
 * it back.
 */
export async function deleteRecoveryVm(deps: Pick<Deps, 'sites'>, vault: VaultRef, item: ProtectedItemRecord, vmId: string): Promise<void> {
  const site = deps.sites.recoveryVms(vault, item.recoveryFabricName);
  const vm = await site.getVm(vmId);
  if (vm?.fenced) await site.unfence(vmId);
  if (vm?.powerState === 'Running') await site.shutdown(vmId);
  await site.removeVm(vmId, { retire: { itemKey: item.itemKey } });
}

/**
 * Makes the original disks hold exactly the reverse recovery point: when they hold a later point or
 * a partly applied cycle, each disk is copied back from the point's snapshot under the fence.
 * Returns 'done' once every disk holds the point.
 */
export async function restoreOriginalDisks(deps: Pick<Deps, 'sites'>, vault: VaultRef, item: ProtectedItemRecord, point: RecoveryPoint): Promise<'done' | 'copying'> {
  if (item.replication.lastPointId === point.id && !item.replication.cycle) return 'done';
  const primary = primaryOf(item);
  const fenced = deps.sites.hyperV(vault, primary.fabricName).fencedDiskTarget(primary.vmId);
  return withSpan('site.restoreOriginalDisks', { attributes: { vmId: primary.vmId, 'replication.point_id': point.id, 'vm.disks': point.disks.length } }, async () => {
    let pending = false;
    for (const disk of point.disks) {
      if ((await fenced.target.disk(disk.replicaBlob).restoreSnapshot(disk.snapshot, point.id, fenced.leaseId)) === 'copying') pending = true;
    }
    return pending ? 'copying' : 'done';
  });
}

/** Hands the original disks back to the primary site and starts the VM on them. */
export async function startPrimaryVm(deps: Pick<Deps, 'sites'>, vault: VaultRef, item: ProtectedItemRecord, point: RecoveryPoint): Promise<void> {
  const primary = primaryOf(item);
  const site = deps.sites.hyperV(vault, primary.fabricName);
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
