import { getConfig } from '../config.js';
import { createControlPlaneRepository, type ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { createStorageClients } from '../storage/clients.js';
import { createJobQueue, JOBS_QUEUE, type JobQueue } from './jobQueue.js';
import { createJobStore, type JobStore } from './jobStore.js';

/** Name of the control-plane table (setting `CONTROL_PLANE_TABLE`, default `controlplane`). */
export function controlPlaneTableName(env: NodeJS.ProcessEnv = process.env): string {
  return env.CONTROL_PLANE_TABLE || 'controlplane';
}

/** The control plane's storage: the repository, its job store and the jobs queue. */
export interface ControlPlane {
  repository: ControlPlaneRepository;
  jobs: JobStore;
  jobQueue: JobQueue;
}

/** Builds the control plane on a storage account's connection string. */
export function createControlPlane(connectionString: string, tableName = controlPlaneTableName()): ControlPlane {
  const clients = createStorageClients(connectionString);
  const repository = createControlPlaneRepository(clients.table(tableName));
  return { repository, jobs: createJobStore(repository), jobQueue: createJobQueue(clients.queues.getQueueClient(JOBS_QUEUE)) };
}

let cached: ControlPlane | undefined;

/** The app's control plane on `AzureWebJobsStorage`, built once per process. */
export function getControlPlane(): ControlPlane {
  cached ??= createControlPlane(getConfig().storageConnectionString);
  return cached;
}
