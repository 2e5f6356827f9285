/**
 * The composition root: every adapter the service uses, built once from the configuration
 * (`createDeps`) and handed down — to HTTP admission, to job steps through their context, to the
 * replication chain and the timers. Nothing under `shared/` builds an adapter of its own or reaches
 * for a global one, so a workflow runs as well on stubbed adapters as on storage.
 */
import type { BlobServiceClient } from '@azure/storage-blob';
import { alertDispatch } from './alerts/alertDeliveries.js';
import { vaultId, type VaultRef } from './arm/resourceId.js';
import type { Config } from './config.js';
import { createPolicyReader, type PolicyReader } from './infra/policyReader.js';
import { createControlPlane, type ControlPlane } from './jobs/controlPlane.js';
import { createReplicationQueue, type ReplicationQueue } from './protection/replicationQueue.js';
import type { DiskSource } from './replication/diskSource.js';
import { createManifestCache } from './replication/manifestCache.js';
import type { RecoveryPoint, RecoveryPointDisk } from './replication/recoveryPoint.js';
import { createRecoveryPointStore, type RecoveryPointStore } from './replication/recoveryPointStore.js';
import { createRecoverySite, type ReplicaSite } from './replication/recoverySite.js';
import { createReplicationEngine, type ReplicationEngine } from './replication/replicationEngine.js';
import type { ReplicaTarget } from './replication/replicaTarget.js';
import { createHyperVSite } from './site/hyperv/hyperVSite.js';
import type { SiteAdapter } from './site/SiteAdapter.js';
import { siteKeyOf } from './site/siteKeyOf.js';
import type { SnapshotSource } from './site/types.js';
import { httpScriptCaller, type ScriptCaller } from './plans/scriptCaller.js';
import { createRunbookQueues, type RunbookQueues } from './plans/runbookQueues.js';
import { createStorageClients, type StorageClients } from './storage/clients.js';
import { sameConnection } from './storage/storageConnection.js';
import { createJsonQueues, type JsonQueues } from './storage/jsonQueues.js';
import { snapshotSource } from './storage/snapshotSource.js';

/** The sites of a vault's fabrics, and where their data lives. */
export interface Sites {
  /** The Hyper-V site of a source fabric (its VMs and disks). */
  hyperV(vault: VaultRef, fabricName: string): SiteAdapter;
  /** The VM host at a recovery fabric: the test and failed-over VMs. */
  recoveryVms(vault: VaultRef, fabricName: string): SiteAdapter;
  /** The replicas at a recovery fabric. */
  replicas(vault: VaultRef, fabricName: string): ReplicaSite;
  /** Where a recovery point's snapshot of a disk can be copied from (reverse points are on the original disks). */
  pointSnapshot: (disk: RecoveryPointDisk) => SnapshotSource;
  /** URL (no query, never a SAS) of a disk blob a Hyper-V host reported. */
  sourceDiskUrl: (container: string, blobName: string) => string;
}

export interface Deps {
  config: Config;
  /** Rows, jobs and the jobs queue. */
  plane: ControlPlane;
  /** Policies as the replication chain reads them (kept a few seconds per process). */
  policies: PolicyReader;
  points: RecoveryPointStore;
  replicationQueue: ReplicationQueue;
  sites: Sites;
  /** An engine replicating from `source` into `target` (manifests cached once per process). */
  engine(source: DiskSource, target: ReplicaTarget): ReplicationEngine;
  /** Queues of the app's storage the service writes JSON messages to (command replies, events). */
  queues: JsonQueues;
  /** The queues recovery plans' runbook actions send to. */
  runbooks: RunbookQueues;
  /** Calls a recovery plan's script action (an HTTP POST; redirects are not followed). */
  scripts: ScriptCaller;
  /** Creates what the adapters need once per process (the points table, the replication queue). */
  ready(): Promise<void>;
}

/** Containers of the local Hyper-V site's storage (their recovery points are there, not at the recovery site). */
const HYPERV_CONTAINER = 'hvsite-';

export function createDeps(config: Config): Deps {
  const app = createStorageClients(config.storage);
  const siteStorage: StorageClients = sameConnection(config.siteStorage, config.storage) ? app : createStorageClients(config.siteStorage);
  const recoveryStorage: StorageClients = sameConnection(config.recoveryStorage, config.storage) ? app : createStorageClients(config.recoveryStorage);
  const pointBlobs = (point: Pick<RecoveryPoint, 'disks'>): BlobServiceClient =>
    point.disks[0]?.container.startsWith(HYPERV_CONTAINER) ? siteStorage.blobs : recoveryStorage.blobs;
  const points = createRecoveryPointStore(recoveryStorage, { blobsFor: pointBlobs });
  const replicationQueue = createReplicationQueue(app.queues);
  const queues = createJsonQueues(app.queues);
  const manifests = createManifestCache();
  const keyOf = (vault: VaultRef, fabricName: string): string => siteKeyOf(vaultId(vault), fabricName);
  const plane = createControlPlane(app, config.controlPlaneTable, queues, (repository) => [alertDispatch(repository, queues)]);
  let readiness: Promise<void> | undefined;
  return {
    config,
    plane,
    policies: createPolicyReader(plane.repository),
    points,
    replicationQueue,
    sites: {
      hyperV: (vault, fabricName) => createHyperVSite(siteStorage, { siteKey: keyOf(vault, fabricName) }),
      recoveryVms: (vault, fabricName) => createHyperVSite(recoveryStorage, { siteKey: keyOf(vault, fabricName) }),
      replicas: (vault, fabricName) => createRecoverySite(recoveryStorage, { siteKey: keyOf(vault, fabricName) }),
      pointSnapshot: (disk) => snapshotSource(pointBlobs({ disks: [disk] }), { container: disk.container, blobName: disk.replicaBlob, snapshot: disk.snapshot }),
      sourceDiskUrl(container, blobName) {
        const url = new URL(siteStorage.blobs.getContainerClient(container).getBlobClient(blobName).url);
        url.search = '';
        return url.toString();
      },
    },
    engine: (source, target) => createReplicationEngine({ source, target, points, manifests }),
    queues,
    runbooks: createRunbookQueues(queues),
    scripts: httpScriptCaller,
    ready() {
      readiness ??= Promise.all([points.ensure(), replicationQueue.ensure()]).then(
        () => undefined,
        (error: unknown) => {
          readiness = undefined;
          throw error;
        },
      );
      return readiness;
    },
  };
}
