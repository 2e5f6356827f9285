/** Steps about virtual machines: shutting down, creating from a point, bringing the original back, deleting. */
import type { ProtectionEffect } from '../../domain/protectionEffects.js';
import { PermanentError } from '../../errors/PermanentError.js';
import { vmNetworkOf } from '../../networks/recoveryNic.js';
import type { EffectResult, ItemEnv } from '../itemWorkflow.js';
import { primaryOf } from '../protectedItemRecord.js';
import { createVmAtSite, deleteRecoveryVm, restoreOriginalDisks, startPrimaryVm, vmIdFor } from '../recoveryVms.js';
import { pinnedPoint, serviceVmOf } from './jobItemFacts.js';

const WAIT_MS = 1_000;

export async function shutDownVm(env: ItemEnv, effect: Extract<ProtectionEffect, { type: 'shutDownVm' }>): Promise<EffectResult> {
  const item = (await env.item()).value;
  if (effect.vm === 'source') {
    const primary = primaryOf(item);
    await env.deps.sites.hyperV(env.vault, primary.fabricName).shutdown(primary.vmId);
  } else if (item.recoveryVm) {
    await env.deps.sites.recoveryVms(env.vault, item.recoveryFabricName).shutdown(item.recoveryVm.vmId);
  }
  return { done: {} };
}

/** Creates (or finds) the test or failed-over VM at the recovery site from the job's point. */
export async function createRecoveryVm(env: ItemEnv, effect: Extract<ProtectionEffect, { type: 'createRecoveryVm' }>): Promise<EffectResult> {
  const item = (await env.item()).value;
  const test = effect.purpose === 'test';
  const vmId = vmIdFor(env.job.jobId, effect.purpose);
  const point = await pinnedPoint(env, item);
  // The network resolved at admission (`networks/recoveryNic.ts`); jobs admitted without one use the item's settings.
  const chosen = env.input.recoveryNic;
  const network = chosen
    ? vmNetworkOf(chosen)
    : test
    ? { ...(effect.networkId ? { networkId: effect.networkId } : {}), ...(item.recovery.subnetName ? { subnetName: item.recovery.subnetName } : {}) }
    : {
        ...(item.recovery.networkId ? { networkId: item.recovery.networkId } : {}),
        ...(item.recovery.subnetName ? { subnetName: item.recovery.subnetName } : {}),
        ...(item.recovery.staticIpAddress ? { ipAddress: item.recovery.staticIpAddress } : {}),
      };
  const site = env.deps.sites.recoveryVms(env.vault, item.recoveryFabricName);
  const state = await createVmAtSite(env.deps, site, item, point, { vmId, name: test ? `${item.recovery.vmName}-test` : item.recovery.vmName, purpose: effect.purpose, network });
  return state === 'ready' ? { done: { vmId } } : { waitMs: WAIT_MS, note: 'Copying the disks from the recovery point' };
}

/** Failback onto the original VM: its disks brought to the job's reverse point, then the VM started on them. */
export async function restorePrimaryVm(env: ItemEnv, effect: Extract<ProtectionEffect, { type: 'restorePrimaryVm' }>): Promise<EffectResult> {
  const item = (await env.item()).value;
  if (item.originalVmRecreated && !effect.startRecreatedVm) {
    throw new PermanentError(`The virtual machine '${item.friendlyName}' no longer existed at its site and re-protect recreated it; a failback with recoveryVmCreationOption 'NoAction' does not bring up a recreated virtual machine.`, {
      code: 'OriginalVmNotFound',
      recommendedAction: "Fail back with recoveryVmCreationOption 'CreateVmIfNotFound', or to another site with providerIdForAlternateRecovery.",
    });
  }
  const point = await pinnedPoint(env, item);
  if ((await restoreOriginalDisks(env.deps, env.vault, item, point)) === 'copying') return { waitMs: WAIT_MS, note: 'Restoring the disks to the recovery point' };
  await startPrimaryVm(env.deps, env.vault, item, point);
  return { done: { vmId: primaryOf(item).vmId } };
}

/** Failback to another Hyper-V site: a new VM there from the job's reverse point of the original disks. */
export async function createVmAtAlternateSite(env: ItemEnv, effect: Extract<ProtectionEffect, { type: 'createVmAtAlternateSite' }>): Promise<EffectResult> {
  const item = (await env.item()).value;
  const point = await pinnedPoint(env, item);
  const vmId = vmIdFor(env.job.jobId, 'failback');
  const site = env.deps.sites.hyperV(env.vault, effect.fabricName);
  const state = await createVmAtSite(env.deps, site, item, point, { vmId, name: item.friendlyName, purpose: 'failback', network: {} });
  return state === 'ready' ? { done: { vmId } } : { waitMs: WAIT_MS, note: 'Copying the disks to the alternate site' };
}

/** Deletes a service-made VM with its disks (idempotent). */
export async function deleteVm(env: ItemEnv, effect: Extract<ProtectionEffect, { type: 'deleteVm' }>): Promise<EffectResult> {
  const item = (await env.item()).value;
  const vm = serviceVmOf(item, effect.vm, env.job.jobId);
  if (vm) await deleteRecoveryVm(env.deps, env.vault, item, vm.vmId);
  return { done: {} };
}

/**
 * Before re-protect writes the original disks: the original VM must be there (recreated, powered
 * off, with empty disks of the same ids when its site lost it, so everything is copied back) with
 * every protected disk at its size, and it is fenced so only the service writes them.
 */
export async function prepareOriginalVm(env: ItemEnv): Promise<EffectResult> {
  const item = (await env.item()).value;
  const primary = primaryOf(item);
  const site = env.deps.sites.hyperV(env.vault, primary.fabricName);
  if (!(await site.getVm(primary.vmId))) {
    await site.ensure();
    const recreated = await site.createEmptyVm({
      id: primary.vmId,
      name: item.friendlyName,
      osType: item.osType,
      generation: item.generation === 1 ? 1 : 2,
      cpuCount: item.cpuCount,
      memoryMB: item.memoryMB,
      powerState: 'Off',
      disks: primary.disks.map((disk) => ({ id: disk.diskId, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk })),
    });
    if (recreated.disks.some((disk) => primary.disks.find((d) => d.diskId === disk.id)?.blobName !== disk.blobName)) {
      throw new PermanentError(`The virtual machine '${item.friendlyName}' was recreated at site '${primary.fabricName}', but its disks do not sit where the protected disks did.`, {
        code: 'OriginalVmLayoutChanged',
        recommendedAction: 'Disable protection and enable it again for the virtual machine running at the recovery site.',
      });
    }
    await env.updateItem((current) => (current.originalVmRecreated ? undefined : { ...current, originalVmRecreated: true }));
    await env.warn('OriginalVmRecreated', `The virtual machine '${item.friendlyName}' no longer existed at site '${primary.fabricName}'; it was recreated and its disks are copied back in full.`, 'None.');
  }
  const missing = await site.findMissingDisks(primary.vmId, primary.disks.map((disk) => ({ id: disk.diskId, sizeBytes: disk.sizeBytes })));
  if (missing.length > 0) {
    throw new PermanentError(`Re-protect reuses the original virtual machine's disks at site '${primary.fabricName}': ${missing.join(' ')}`, {
      code: 'OriginalDisksNotFound',
      possibleCauses: 'Disks of the virtual machine were detached, deleted or resized at the original site after failover.',
      recommendedAction: 'Restore the disks at the original site, or remove the virtual machine there so re-protect recreates it, then retry.',
    });
  }
  if (!item.recoveryVm) throw new PermanentError('The item has no virtual machine at the recovery site to replicate from.', { code: 'RecoveryVmNotFound' });
  await site.fence(primary.vmId);
  return { done: {} };
}

/** Hands the original VM's disks back to its host when the service holds them (the VM stays as it is). */
export async function unfenceSource(env: ItemEnv): Promise<EffectResult> {
  const primary = primaryOf((await env.item()).value);
  const site = env.deps.sites.hyperV(env.vault, primary.fabricName);
  if ((await site.getVm(primary.vmId))?.fenced) await site.unfence(primary.vmId);
  return { done: {} };
}

/** Starts the VM at the primary site when it is off; a VM its site no longer has is a warning (nothing to start). */
export async function startSourceVm(env: ItemEnv): Promise<EffectResult> {
  const item = (await env.item()).value;
  const primary = primaryOf(item);
  const site = env.deps.sites.hyperV(env.vault, primary.fabricName);
  const vm = await site.getVm(primary.vmId);
  if (!vm) {
    await env.warn('SourceVmNotFound', `The virtual machine '${item.friendlyName}' no longer exists at site '${primary.fabricName}'; it was not started.`, 'Restore the virtual machine at its site, then run Repair replication.');
  } else if (vm.powerState !== 'Running') {
    await site.start(primary.vmId);
  }
  return { done: {} };
}
