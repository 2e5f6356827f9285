import type { ArmResource } from '../arm/armResource.js';
import type { VaultRef } from '../arm/resourceId.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { toFabricResource, type FabricHealthView, type FabricRecord } from './fabrics.js';
import { getSiteInventory, HEARTBEAT_TIMEOUT_MS, siteHealthOf } from './siteInventory.js';

/** A fabric's resource with its health: a Hyper-V site's from its hosts' heartbeats, a recovery site `Normal`. */
export async function describeFabric(repository: ControlPlaneRepository, vault: VaultRef, fabric: FabricRecord, now = new Date()): Promise<ArmResource> {
  if (fabric.instanceType !== 'HyperVSite') return toFabricResource(vault, fabric, { health: 'Normal', healthErrorDetails: [] });
  const inventory = await getSiteInventory(repository, vaultPartition(vault), fabric.name);
  const health = siteHealthOf(inventory.hosts, now);
  const view: FabricHealthView = { health: 'Normal', healthErrorDetails: [], hosts: inventory.hosts };
  if (!health.healthy) {
    view.health = 'Warning';
    view.healthErrorDetails = [
      {
        errorSource: 'HyperVSite',
        errorType: 'Heartbeat',
        errorLevel: 'Warning',
        errorCategory: 'Connectivity',
        errorCode: health.error.code,
        summaryMessage: health.error.message,
        errorMessage: health.error.message,
        possibleCauses: health.error.possibleCauses,
        recommendedAction: health.error.recommendedAction,
        creationTimeUtc: health.lastHeartbeat ? new Date(Date.parse(health.lastHeartbeat) + HEARTBEAT_TIMEOUT_MS).toISOString() : fabric.createdAt,
        entityId: fabric.internalIdentifier,
        customerResolvability: 'Allowed',
      },
    ];
  }
  return toFabricResource(vault, fabric, view);
}
