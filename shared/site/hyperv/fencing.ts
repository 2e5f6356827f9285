/**
 * Fencing by storage itself: after failover the service holds a lease on every disk of the source
 * VM, so its host's writes fail until the disks are handed back. While fenced the disks change in
 * ways the VM's change log does not describe (the service writes them during re-protect), so unfence
 * records a barrier — or, on failback, restarts the log after the history the disks now hold.
 */
import { releaseLease } from '../../storage/leases.js';
import { UNTRACKED_CHANGES, type UnfenceOptions } from '../types.js';
import { fenceLeaseIdOf, holdFence } from './checkpoints.js';
import type { SiteStore } from './siteStore.js';

/** The service takes the VM's disks: every other writer's writes fail until unfence. */
export async function fence(store: SiteStore, vmId: string): Promise<void> {
  const vm = await store.updateVm(vmId, (current) => ({ ...current, fenced: true }));
  await holdFence(store, vm);
}

/** Hands the disks back (see the module comment). */
export async function unfence(store: SiteStore, vmId: string, options: UnfenceOptions = {}): Promise<void> {
  const { historySeq } = options;
  if (historySeq !== undefined && !(Number.isSafeInteger(historySeq) && historySeq >= 0)) throw new RangeError('History seq must be a non-negative integer.');
  const { vm: before } = await store.readVmRecord(vmId);
  const log = store.changeLog(before.id);
  if (before.fenced && historySeq !== undefined) {
    await log.delete();
  } else if (before.fenced) {
    const last = await log.last();
    if (last?.diskId !== UNTRACKED_CHANGES) {
      const seq = Math.max(last?.seq ?? 0, before.historySeq ?? 0) + 1;
      await log.append({ seq, diskId: UNTRACKED_CHANGES, offset: 0, length: 0, time: new Date().toISOString() });
    }
  }
  const vm = await store.updateVm(vmId, (current) => ({ ...current, fenced: false, ...(current.fenced && historySeq !== undefined ? { historySeq } : {}) }));
  await Promise.all(vm.disks.map((disk) => releaseLease(store.diskBlob(disk), fenceLeaseIdOf(vm.id))));
}
