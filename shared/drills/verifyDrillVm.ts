/**
 * What a drill proves of one test VM: every disk, read from a checkpoint of the VM at the recovery
 * site, against the recovery point's manifest (hash per chunk); and, when the primary site keeps
 * its VMs' write history, that the disks hold a prefix of it (no write missing while a later one
 * is present).
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { primaryOf, protectedItemPath, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { verifyPrefixConsistency } from '../site/hyperv/verifyPrefixConsistency.js';
import type { DrillVmReport } from './drillReport.js';

/** Disks up to this size in all are read whole for the write-history check. */
const HISTORY_CHECK_MAX_BYTES = 256 * 1024 * 1024;

export async function verifyDrillVm(deps: Deps, vault: VaultRef, record: ProtectedItemRecord, drillStart: Date): Promise<DrillVmReport> {
  const itemId = protectedItemPath(vault, record.fabricName, record.containerName, record.name);
  const base = { name: record.friendlyName, itemId, bytesVerified: 0, disks: [], writeHistory: { check: 'NotRecorded' as const } };
  const testVm = record.testVm;
  if (!testVm) return { ...base, outcome: 'Failed', problems: ['The test failover left no test VM to verify.'] };
  const point = await deps.points.get(testVm.pointsKey, testVm.pointId);
  if (!point) return { ...base, testVmId: testVm.vmId, recoveryPointId: testVm.pointId, outcome: 'Failed', problems: [`The recovery point ${testVm.pointId} is gone.`] };
  const recoverySite = deps.sites.recoveryVms(vault, record.recoveryFabricName);
  const engine = deps.engine(recoverySite, deps.sites.replicas(vault, record.recoveryFabricName).target);
  const copy = await recoverySite.checkpoint(testVm.vmId);
  const problems: string[] = [];
  let writeHistory: DrillVmReport['writeHistory'] = { check: 'NotRecorded' };
  try {
    const verification = await engine.verifyCopyOfPoint(point, copy);
    for (const disk of verification.disks) {
      if (disk.mismatchedChunks.includes(-1)) problems.push(`Disk ${disk.diskId} is missing from the test VM or has another size.`);
      else if (disk.mismatchedChunks.length > 0) problems.push(`Disk ${disk.diskId} differs from the recovery point's manifest in chunk ${disk.mismatchedChunks.join(', ')}.`);
    }
    const source = deps.sites.hyperV(vault, primaryOf(record).fabricName);
    const total = copy.disks.reduce((sum, disk) => sum + disk.sizeBytes, 0);
    if (source.readWriteLog && total <= HISTORY_CHECK_MAX_BYTES && record.state.replicationDirection === 'PrimaryToRecovery') {
      const history = await source.readWriteLog(primaryOf(record).vmId);
      const images = Object.fromEntries(await Promise.all(copy.disks.map(async (disk) => [disk.diskId, await recoverySite.readAt(disk, 0, disk.sizeBytes)] as const)));
      const consistency = verifyPrefixConsistency(images, history.filter((entry) => entry.seq <= point.seq));
      writeHistory = consistency.consistent ? { check: 'Consistent', lastWrite: consistency.seq } : { check: 'Inconsistent', lastWrite: consistency.seq, problems: consistency.problems };
      if (!consistency.consistent) problems.push(`The disks do not hold a prefix of the VM's write history: ${consistency.problems.slice(0, 3).join('; ')}.`);
    }
    return {
      name: record.friendlyName,
      itemId,
      testVmId: testVm.vmId,
      recoveryPointId: point.id,
      recoveryPointTime: point.time,
      rpoSecondsAtPoint: Math.max(0, Math.round((drillStart.getTime() - Date.parse(point.time)) / 1000)),
      bytesVerified: verification.disks.reduce((sum, disk) => sum + (disk.bytesVerified ?? 0), 0),
      disks: verification.disks.map((disk) => ({ diskId: disk.diskId, chunks: disk.chunks, bytesVerified: disk.bytesVerified ?? 0, mismatchedChunks: disk.mismatchedChunks })),
      writeHistory,
      outcome: problems.length === 0 ? 'Passed' : 'Failed',
      problems,
    };
  } finally {
    await recoverySite.deleteCheckpoint(copy);
  }
}
