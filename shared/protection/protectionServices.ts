/**
 * Everything the protection layer talks to, built once per process from settings: the control
 * plane (rows, jobs), recovery points, the replication queue, and per-fabric sites and engines.
 */
import type { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import type { VaultRef } from '../arm/resourceId.js';
import { vaultId } from '../arm/resourceId.js';
import { getConfig } from '../config.js';
import { createControlPlane, type ControlPlane } from '../jobs/controlPlane.js';
import { createRecoveryPointStore, type RecoveryPointStore } from '../replication/recoveryPointStore.js';
import { createRecoverySite, recoverySiteConnectionString, type RecoverySite } from '../replication/recoverySite.js';
import { createReplicationEngine, type ReplicationEngine } from '../replication/replicationEngine.js';
import { createHyperVSite, hyperVSiteConnectionString, type HyperVSite } from '../site/hyperVSite.js';
import { siteKeyOf } from '../site/siteKeyOf.js';
import { createStorageClients, type StorageClients } from '../storage/clients.js';

/** Queue of replication chain messages. */
export const REPLICATION_QUEUE = 'replication';

export interface ProtectionServices {
  /** Creates what the services need once per process (the points table, the replication queue). */
  ready(): Promise<void>;
  plane: ControlPlane;
  points: RecoveryPointStore;
  replicationQueue: QueueClient;
  /** The Hyper-V site of a source fabric. */
  site(vault: VaultRef, fabricName: string): HyperVSite;
  /** The recovery site of a recovery fabric. */
  recoverySite(vault: VaultRef, fabricName: string): RecoverySite;
  /** The engine replicating from a source fabric's site into a recovery fabric's site. */
  engine(vault: VaultRef, sourceFabricName: string, recoveryFabricName: string): ReplicationEngine;
  /** The VMs running at a recovery fabric (test and failed-over VMs), on the recovery storage. */
  recoveryVmSite(vault: VaultRef, recoveryFabricName: string): HyperVSite;
  /** An engine from any site's VM disks into any container (re-protect writes the original disks). */
  engineBetween(source: HyperVSite, target: { blobs: BlobServiceClient; containerName: string }): ReplicationEngine;
}

export interface ProtectionServicesOptions {
  app: StorageClients;
  siteStorage: StorageClients;
  recoveryStorage: StorageClients;
  appConnectionString: string;
  tableName?: string;
}

export function createProtectionServices(options: ProtectionServicesOptions): ProtectionServices {
  const plane = createControlPlane(options.appConnectionString, options.tableName);
  // Reverse-direction points are snapshots of the original disks, in the Hyper-V site's storage.
  const points = createRecoveryPointStore(options.recoveryStorage, {
    blobsFor: (point) => (point.disks[0]?.container.startsWith('hvsite-') ? options.siteStorage.blobs : options.recoveryStorage.blobs),
  });
  const replicationQueue = options.app.queues.getQueueClient(REPLICATION_QUEUE);
  const site = (vault: VaultRef, fabricName: string): HyperVSite =>
    createHyperVSite(options.siteStorage, { siteKey: siteKeyOf(vaultId(vault), fabricName) });
  const recoverySite = (vault: VaultRef, fabricName: string): RecoverySite =>
    createRecoverySite(options.recoveryStorage, { siteKey: siteKeyOf(vaultId(vault), fabricName) });
  const engineBetween = (source: HyperVSite, target: { blobs: BlobServiceClient; containerName: string }): ReplicationEngine =>
    createReplicationEngine({
      source: { blobs: source.blobs, readChangeLog: (vmId, after, upto) => source.readChangeLog(vmId, after, upto) },
      target,
      points,
    });
  let readiness: Promise<void> | undefined;
  return {
    ready() {
      readiness ??= Promise.all([points.ensure(), replicationQueue.createIfNotExists()]).then(
        () => undefined,
        (error: unknown) => {
          readiness = undefined;
          throw error;
        },
      );
      return readiness;
    },
    plane,
    points,
    replicationQueue,
    site,
    recoverySite,
    engine(vault, sourceFabricName, recoveryFabricName) {
      const target = recoverySite(vault, recoveryFabricName);
      return engineBetween(site(vault, sourceFabricName), { blobs: target.blobs, containerName: target.containerName });
    },
    recoveryVmSite: (vault, fabricName) => createHyperVSite(options.recoveryStorage, { siteKey: siteKeyOf(vaultId(vault), fabricName) }),
    engineBetween,
  };
}

let cached: ProtectionServices | undefined;

/** The app's protection services on its configured storage, built once per process. */
export function getProtectionServices(env: NodeJS.ProcessEnv = process.env): ProtectionServices {
  if (!cached) {
    const appConnectionString = getConfig().storageConnectionString;
    cached = createProtectionServices({
      app: createStorageClients(appConnectionString),
      siteStorage: createStorageClients(hyperVSiteConnectionString(env)),
      recoveryStorage: createStorageClients(recoverySiteConnectionString(env)),
      appConnectionString,
    });
  }
  return cached;
}
