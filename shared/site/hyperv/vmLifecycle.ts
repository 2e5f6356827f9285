/** Power and existence of the local site's VMs: shutdown, start, removal, and what a VM still has. */
import { SiteError } from '../../errors/SiteError.js';
import { hasStatus, statusOf } from '../../errors/storageStatus.js';
import { breakLease, sleep } from '../../storage/leases.js';
import type { RemoveVmOptions, SiteVm } from '../types.js';
import { assertProvisioned, leaseStates } from './checkpoints.js';
import { readDiskCopy } from './diskCopy.js';
import { ackName, GUID, isRetired, RETIRED_FOR, recordName, type SiteStore, type StoredVm } from './siteStore.js';

const SHUTDOWN_WAIT_MS = 10_000;

/** Shuts the guest down: the workload finishes its write and stops; then the VM is Off. */
export async function shutdown(store: SiteStore, vmId: string): Promise<SiteVm> {
  const vm = await store.updateVm(vmId, (current) => ({ ...current, powerState: 'Off', ...(current.pendingPowerState ? { pendingPowerState: 'Off' as const } : {}) }));
  if (!vm.fenced) {
    const deadline = Date.now() + SHUTDOWN_WAIT_MS;
    while ((await leaseStates(store, vm)).some((state) => state === 'leased') && Date.now() < deadline) await sleep(50);
    // A guest that did not let go of its disks in time is powered off hard.
    for (const disk of vm.disks) await breakLease(store.diskBlob(disk));
  }
  return store.publicVm(vm);
}

/** Starts the VM; refused while fenced. */
export async function start(store: SiteStore, vmId: string): Promise<SiteVm> {
  const vm = await store.updateVm(vmId, (current) => {
    if (current.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced: its disks belong to the recovery site until re-protect.`);
    assertProvisioned(current);
    return { ...current, powerState: 'Running' };
  });
  return store.publicVm(vm);
}

const ITEM_KEY = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Removes the VM, its disks (with snapshots, aborting pending copies, including those of a creation
 * that never finished) and its change log; refused while fenced; idempotent. A retiring removal
 * puts its mark first, so a creation racing it either has its disks deleted here or sees the mark
 * after starting its copies and deletes them itself.
 */
export async function removeVm(store: SiteStore, input: string, options: RemoveVmOptions = {}): Promise<void> {
  if (!GUID.test(input)) return;
  const vmId = input.toLowerCase();
  const removed = options.retire ? await retire(store, vmId, options.retire.itemKey) : await readRemovable(store, vmId);
  const disks = removed?.disks.map((disk) => disk.blobName) ?? [];
  await deleteVmDisks(store, vmId, disks);
  await store.changeLog(vmId).delete();
  await store.container.getBlobClient(ackName(vmId)).deleteIfExists();
  if (!options.retire) await deleteRecordUnlessRetired(store, vmId);
}

/** Puts the retirement mark in place of the VM's record; the VM it replaced. */
async function retire(store: SiteStore, vmId: string, itemKey: string): Promise<StoredVm | undefined> {
  if (!ITEM_KEY.test(itemKey)) throw new SiteError('InvalidVm', 'Item key must have 1-64 letters, digits or dashes.');
  await store.container.createIfNotExists();
  return store.retireRecord(vmId, itemKey);
}

/** The VM a plain removal deletes (`undefined` when there is none); refused while fenced. */
async function readRemovable(store: SiteStore, vmId: string): Promise<StoredVm | undefined> {
  let vm: StoredVm | undefined;
  try {
    vm = (await store.readVmRecord(vmId)).vm;
  } catch (error) {
    if (!(error instanceof SiteError && error.code === 'VmNotFound')) throw error;
  }
  if (vm?.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced and cannot be removed.`);
  return vm;
}

/** Deletes a VM's disk blobs (`known` and any under its prefix) with their snapshots, aborting pending copies first. */
export async function deleteVmDisks(store: SiteStore, vmId: string, known: readonly string[]): Promise<void> {
  const names = new Set(known);
  for await (const blob of store.container.listBlobsFlat({ prefix: `disks/${vmId}/` })) names.add(blob.name);
  for (const name of names) {
    const blob = store.container.getPageBlobClient(name);
    const copy = await readDiskCopy(blob);
    if (copy.state === 'pending') {
      try {
        const { copyId } = await blob.getProperties();
        if (copyId) await blob.abortCopyFromURL(copyId);
      } catch (error) {
        if (!hasStatus(error, 404, 409)) throw error;
      }
    }
    await breakLease(blob, [404, 409]);
    await blob.deleteIfExists({ deleteSnapshots: 'include' });
  }
}

/** Deletes the VM's record; a retired VM's mark stays (a plain removal never undoes a retirement). */
async function deleteRecordUnlessRetired(store: SiteStore, vmId: string): Promise<void> {
  for (;;) {
    const current = await store.readRecordBody(vmId);
    if (!current || isRetired(current.body)) return;
    try {
      await store.container.getBlobClient(recordName(vmId)).delete({ conditions: { ifMatch: current.etag } });
      return;
    } catch (error) {
      // Gone already, or rewritten since read (retired, or updated): look again.
      if (!hasStatus(error, 404, 412)) throw error;
    }
  }
}

/** Deletes the marks retiring removals left for VMs made for `itemKey`; returns how many went. */
export async function forgetRetiredVms(store: SiteStore, itemKey: string): Promise<number> {
  if (!(await store.container.exists())) return 0;
  let deleted = 0;
  for await (const blob of store.container.listBlobsFlat({ prefix: 'vms/', includeMetadata: true })) {
    if (!blob.name.endsWith('.json') || blob.metadata?.[RETIRED_FOR] !== itemKey) continue;
    if ((await store.container.getBlobClient(blob.name).deleteIfExists()).succeeded) deleted += 1;
  }
  return deleted;
}

/**
 * What keeps the service from writing a VM's disks again: the VM, a disk or its blob missing, or a
 * size that differs — one sentence each; empty when all is there.
 */
export async function findMissingDisks(store: SiteStore, vm: SiteVm | undefined, vmId: string, expected: ReadonlyArray<{ id: string; sizeBytes: number }>): Promise<string[]> {
  if (!vm) return [`VM '${vmId}' no longer exists at site '${store.siteKey}'.`];
  const problems: string[] = [];
  for (const want of expected) {
    const disk = vm.disks.find((d) => d.id === want.id);
    if (!disk) {
      problems.push(`Disk '${want.id}' is no longer attached to VM '${vm.name}'.`);
      continue;
    }
    let sizeBytes: number | undefined;
    try {
      sizeBytes = (await store.diskBlob(disk).getProperties()).contentLength;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      problems.push(`The blob '${disk.blobName}' of disk '${disk.name}' of VM '${vm.name}' is missing.`);
      continue;
    }
    if (sizeBytes !== want.sizeBytes) problems.push(`Disk '${disk.name}' of VM '${vm.name}' has ${sizeBytes} bytes instead of ${want.sizeBytes}.`);
  }
  return problems;
}
