/**
 * DataReplication views of protected items for a response: each item's ASR view (health, progress,
 * replica locations), the job of its current scenario, and what the host that reports its VM says of
 * it (the host, the network of its first adapter), gathered once per response; then
 * `toProtectedItemModel`.
 */
import { z } from 'zod';
import type { ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import { getSiteInventory } from '../infra/siteInventory.js';
import { describeProtectedItems } from '../protection/protectedItemResource.js';
import { primaryOf, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { vaultPartition } from '../repos/partitions.js';
import { readAsrItemView } from './readAsrItemView.js';
import { toProtectedItemModel } from './toProtectedItemModel.js';

/** The network adapters a host reports for a VM (hosts that report none send no `nics`). */
const reportedNics = z.object({ nics: z.array(z.object({ networkName: z.string() }).loose()).optional() }).loose();

/** What the site's last reports say of a VM: the host that reported it and the network of its first adapter. */
interface ReportedVmFacts {
  hostName: string;
  networkName?: string;
}

/** Reported facts by `fabric|vm id` (lower-cased) of the sites the items' VMs live at. */
async function reportedVms(deps: Pick<Deps, 'plane'>, vault: VaultRef, records: readonly ProtectedItemRecord[]): Promise<Map<string, ReportedVmFacts>> {
  const facts = new Map<string, ReportedVmFacts>();
  const fabrics = new Set(records.map((record) => primaryOf(record).fabricName.toLowerCase()));
  for (const fabricName of fabrics) {
    const inventory = await getSiteInventory(deps.plane.repository, vaultPartition(vault), fabricName);
    for (const vm of inventory.vms) {
      const parsed = reportedNics.safeParse(vm);
      const networkName = parsed.success ? parsed.data.nics?.[0]?.networkName : undefined;
      facts.set(`${fabricName}|${vm.id.toLowerCase()}`, { hostName: vm.hostName, ...(networkName ? { networkName } : {}) });
    }
  }
  return facts;
}

export async function describeProtectedItemModels(deps: Pick<Deps, 'plane' | 'sites'>, vault: VaultRef, records: readonly ProtectedItemRecord[], now = new Date()): Promise<ArmResource[]> {
  const views = await describeProtectedItems(deps, vault, records, now);
  const partition = vaultPartition(vault);
  const jobs = await Promise.all(records.map(async (record) => (record.currentScenario ? (await deps.plane.jobs.get(partition, record.currentScenario.jobId))?.value : undefined)));
  const reported = await reportedVms(deps, vault, records);
  return records.map((record, index) => {
    const view = views[index];
    if (!view) throw new RangeError('describeProtectedItems returns one view per record.');
    const primary = primaryOf(record);
    const currentJob = jobs[index];
    const source = reported.get(`${primary.fabricName.toLowerCase()}|${primary.vmId.toLowerCase()}`);
    return toProtectedItemModel(vault, record, {
      asr: readAsrItemView(view),
      ...(currentJob ? { currentJob } : {}),
      ...(source ? { sourceHostName: source.hostName } : {}),
      ...(source?.networkName ? { sourceNetworkName: source.networkName } : {}),
    });
  });
}

/** One item's view (see `describeProtectedItemModels`). */
export async function describeProtectedItemModel(deps: Pick<Deps, 'plane' | 'sites'>, vault: VaultRef, record: ProtectedItemRecord, now = new Date()): Promise<ArmResource> {
  const [model] = await describeProtectedItemModels(deps, vault, [record], now);
  if (!model) throw new RangeError('describeProtectedItemModels returns one view per record.');
  return model;
}
