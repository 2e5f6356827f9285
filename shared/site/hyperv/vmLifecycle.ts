/** Power and existence of the local site's VMs: shutdown, start, removal, and what a VM still has. */
import { SiteError } from '../../errors/SiteError.js';
import { hasStatus, statusOf } from '../../errors/storageStatus.js';
import { breakLease, sleep } from '../../storage/leases.js';
import type { SiteVm } from '../types.js';
import { assertProvisioned, leaseStates } from './checkpoints.js';
import { readDiskCopy } from './diskCopy.js';
import { ackName, GUID, recordName, type SiteStore, type StoredVm } from './siteStore.js';

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

/**
 * Removes the VM, its disks (with snapshots, aborting pending copies, including those of a creation
 * that never finished) and its change log; refused while fenced; idempotent.
 */
export async function removeVm(store: SiteStore, input: string): Promise<void> {
  if (!GUID.test(input)) return;
  const vmId = input.toLowerCase();
  let vm: StoredVm | undefined;
  try {
    vm = (await store.readVmRecord(vmId)).vm;
  } catch (error) {
    if (!(error instanceof SiteError && error.code === 'VmNotFound')) throw error;
  }
  if (vm?.fenced) throw new SiteError('VmFenced', `VM '${vmId}' is fenced and cannot be removed.`);
  const names = new Set(vm?.disks.map((disk) => disk.blobName));
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
  await store.changeLog(vmId).delete();
  await store.container.getBlobClient(ackName(vmId)).deleteIfExists();
  await store.container.getBlobClient(recordName(vmId)).deleteIfExists();
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
