import type { StorageClients } from '../storage/clients.js';
import { createControlPlaneRepository, type ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { createJobExports, type JobExports } from './jobExports.js';
import { createJobQueue, JOBS_QUEUE, type JobQueue } from './jobQueue.js';
import { createJobStore, type JobStore } from './jobStore.js';

/** The control plane's storage: the repository, its job store, the jobs queue and job exports. */
export interface ControlPlane {
  repository: ControlPlaneRepository;
  jobs: JobStore;
  jobQueue: JobQueue;
  /** Files of `replicationJobs/export`. */
  exports: JobExports;
}

/** Builds the control plane on a storage account: the table `tableName` and the jobs queue. */
export function createControlPlane(clients: StorageClients, tableName: string): ControlPlane {
  const repository = createControlPlaneRepository(clients.table(tableName));
  return { repository, jobs: createJobStore(repository), jobQueue: createJobQueue(clients.queues.getQueueClient(JOBS_QUEUE)), exports: createJobExports(clients.blobs) };
}
