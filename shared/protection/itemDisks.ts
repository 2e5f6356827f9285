/**
 * Adding and removing disks of a protected VM (`addDisks`, `removeDisks`). A disk attached to the VM
 * at its site (as the host reports it) joins replication: the next cycle copies it in full, and it
 * shows as Protected once a recovery point holds it. A removed disk stops replicating; recovery
 * points taken before keep it. The OS disk always stays. Both complete when written.
 *
 * Disks are named as the official client can send them: the A2A shapes (`vmDisks[].diskUri` /
 * `vmManagedDisks[].diskId` to add, `vmDisksUris` / `vmManagedDisksIds` to remove), or
 * `HyperVReplicaAzure` with `disksToInclude` / `disksToExclude` (disk ids, as enable protection takes them).
 */
import { z } from 'zod';
import { parseInput } from '../arm/parseInput.js';
import { allowedOperations } from '../domain/allowedOperations.js';
import { describe } from '../domain/asrStateNames.js';
import { testFailoverIdle } from '../domain/protectionState.js';
import { HttpError } from '../errors/HttpError.js';
import { getSiteInventory } from '../infra/siteInventory.js';
import type { Job } from '../jobs/jobModel.js';
import { vaultPartition } from '../repos/partitions.js';
import { assertNoOperationInProgress } from './admitItemCommand.js';
import { requireProtectedItem } from './itemLookup.js';
import type { ItemOperation, ItemOperationRequest } from './itemOperation.js';
import type { ProtectedDisk, ProtectedItemRecord } from './protectedItemRecord.js';
import { recordFinishedJob } from './recordFinishedJob.js';

const DETAILS = 'properties.providerSpecificDetails';
const id = z.string().min(1).max(1024);
const ids = z.array(id).min(1, 'must name at least one disk').max(64);

/** The body of `POST …/replicationProtectedItems/{item}/addDisks`. */
export const addDisksBody = z.object({
  properties: z.object({
    providerSpecificDetails: z.discriminatedUnion('instanceType', [
      z.object({ instanceType: z.literal('HyperVReplicaAzure'), disksToInclude: ids }).loose(),
      z
        .object({
          instanceType: z.literal('A2A'),
          vmDisks: z.array(z.object({ diskUri: id }).loose()).max(64).optional(),
          vmManagedDisks: z.array(z.object({ diskId: id }).loose()).max(64).optional(),
        })
        .loose(),
    ]),
  }),
});

/** The body of `POST …/replicationProtectedItems/{item}/removeDisks`. */
export const removeDisksBody = z.object({
  properties: z.object({
    providerSpecificDetails: z.discriminatedUnion('instanceType', [
      z.object({ instanceType: z.literal('HyperVReplicaAzure'), disksToExclude: ids }).loose(),
      z.object({ instanceType: z.literal('A2A'), vmDisksUris: z.array(id).max(64).optional(), vmManagedDisksIds: z.array(id).max(64).optional() }).loose(),
    ]),
  }),
});

interface DiskRef {
  /** A disk id, or the URI of the disk's blob. */
  value: string;
  field: string;
}

function badInput(field: string, problem: string): HttpError {
  return new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);
}

/** Whether `ref` names the disk: by id, or by a URI whose path ends with the disk's container and blob. */
function names(ref: string, disk: Pick<ProtectedDisk, 'diskId' | 'container' | 'blobName'>): boolean {
  if (ref.toLowerCase() === disk.diskId.toLowerCase()) return true;
  if (!/^https?:\/\//i.test(ref)) return false;
  const path = decodeURIComponent(new URL(ref).pathname);
  return path.endsWith(`/${disk.container}/${disk.blobName}`);
}

function refsOf(list: readonly string[] | undefined, field: string): DiskRef[] {
  return (list ?? []).map((value, index) => ({ value, field: `${field}.${index}` }));
}

/** Disks change only while the item is Protected at its primary site with nothing else running on it. */
function assertDisksChangeable(record: ProtectedItemRecord, operation: string): void {
  const s = record.state;
  if (s.protectionState !== 'Protected' || s.replicationDirection !== 'PrimaryToRecovery' || !testFailoverIdle(s) || record.primary) {
    const allowed = allowedOperations(s);
    throw new HttpError(
      409,
      'OperationNotAllowed',
      `The operation '${operation}' needs the item Protected at its primary site with no test failover running; it is in state '${describe(s)}'. Allowed operations: ${allowed.join(', ') || 'none'}.`,
    );
  }
  assertNoOperationInProgress(record, new Set());
}

async function finish(request: ItemOperationRequest, row: Awaited<ReturnType<typeof requireProtectedItem>>, scenarioName: string, friendlyName: string, disks: (current: ProtectedDisk[]) => ProtectedDisk[]): Promise<Job> {
  return recordFinishedJob(request.deps.plane, row, {
    job: { kind: 'updateProtectedItem', scenarioName, friendlyName, tasks: [friendlyName] },
    ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}),
    apply: (record) => ({ ...record, disks: disks(record.disks) }),
  });
}

export const addDisks: ItemOperation = async (request) => {
  const details = parseInput(addDisksBody, request.body).properties.providerSpecificDetails;
  const refs =
    details.instanceType === 'HyperVReplicaAzure'
      ? refsOf(details.disksToInclude, `${DETAILS}.disksToInclude`)
      : [
          ...(details.vmDisks ?? []).map((disk, index) => ({ value: disk.diskUri, field: `${DETAILS}.vmDisks.${index}.diskUri` })),
          ...(details.vmManagedDisks ?? []).map((disk, index) => ({ value: disk.diskId, field: `${DETAILS}.vmManagedDisks.${index}.diskId` })),
        ];
  if (refs.length === 0) throw badInput(DETAILS, 'must name at least one disk to add.');
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const record = row.value;
  assertDisksChangeable(record, 'AddDisks');
  const inventory = await getSiteInventory(request.deps.plane.repository, vaultPartition(request.vault), record.fabricName);
  const vm = inventory.vms.find((candidate) => candidate.id.toLowerCase() === record.vmId.toLowerCase());
  if (!vm) throw new HttpError(409, 'SourceVmNotReported', `The virtual machine '${record.friendlyName}' is not in the latest report of site '${record.fabricName}'; disks can be added once its host reports it.`);
  const added: ProtectedDisk[] = [];
  for (const ref of refs) {
    const disk = vm.disks.find((candidate) => names(ref.value, { diskId: candidate.id, container: candidate.container, blobName: candidate.blobName }));
    if (!disk) throw badInput(ref.field, `${JSON.stringify(ref.value)} is not a disk of VM ${JSON.stringify(vm.name)} as its host reports it.`);
    if (record.disks.some((protectedDisk) => protectedDisk.diskId === disk.id)) throw badInput(ref.field, `the disk ${JSON.stringify(disk.name)} is already protected.`);
    if (added.some((candidate) => candidate.diskId === disk.id)) continue;
    added.push({ diskId: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk, container: disk.container, blobName: disk.blobName, awaitingFirstCopy: true });
  }
  return finish(request, row, 'AddDisks', 'Add disk(s)', (current) => [...current.filter((disk) => !added.some((one) => one.diskId === disk.diskId)), ...added]);
};

export const removeDisks: ItemOperation = async (request) => {
  const details = parseInput(removeDisksBody, request.body).properties.providerSpecificDetails;
  const refs =
    details.instanceType === 'HyperVReplicaAzure'
      ? refsOf(details.disksToExclude, `${DETAILS}.disksToExclude`)
      : [...refsOf(details.vmDisksUris, `${DETAILS}.vmDisksUris`), ...refsOf(details.vmManagedDisksIds, `${DETAILS}.vmManagedDisksIds`)];
  if (refs.length === 0) throw badInput(DETAILS, 'must name at least one disk to remove.');
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const record = row.value;
  assertDisksChangeable(record, 'RemoveDisks');
  const removed = new Set<string>();
  for (const ref of refs) {
    const disk = record.disks.find((candidate) => names(ref.value, candidate));
    if (!disk) throw badInput(ref.field, `${JSON.stringify(ref.value)} is not a protected disk of ${JSON.stringify(record.friendlyName)}.`);
    if (disk.isOsDisk) throw badInput(ref.field, `the OS disk ${JSON.stringify(disk.name)} cannot be removed from replication; disable protection instead.`);
    removed.add(disk.diskId);
  }
  return finish(request, row, 'RemoveDisks', 'Remove disk(s)', (current) => current.filter((disk) => !removed.has(disk.diskId)));
};
