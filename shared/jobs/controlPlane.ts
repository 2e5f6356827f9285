import type { StorageClients } from '../storage/clients.js';
import { createControlPlaneRepository, type ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { createEventLog, type EventListener, type EventLog } from '../events/eventLog.js';
import { jobEvent } from '../events/jobEvent.js';
import type { JsonQueues } from '../storage/jsonQueues.js';
import { createJobExports, type JobExports } from './jobExports.js';
import { createJobQueue, JOBS_QUEUE, type JobQueue } from './jobQueue.js';
import { createJobStore, type JobStore } from './jobStore.js';

/** The control plane's storage: the repository, its job store, the jobs queue, job exports and events. */
export interface ControlPlane {
  repository: ControlPlaneRepository;
  jobs: JobStore;
  jobQueue: JobQueue;
  /** Files of `replicationJobs/export`. */
  exports: JobExports;
  /** Events: stored per vault and published on the events queue. */
  events: EventLog;
}

/**
 * A job store whose every state change becomes an event. The event is recorded beside the job's
 * work, not in its way: what the step does next (a failed job's item made retryable) is not
 * delayed by it, and a failure to record it is logged, never the job's.
 */
export function jobStoreWithEvents(repository: ControlPlaneRepository, events: EventLog, warn: (message: string) => void): JobStore {
  return createJobStore(repository, (before, after) => {
    const draft = jobEvent(before, after);
    if (draft) void events.record(after.vault, draft).catch((error: unknown) => warn(`The event of job ${after.jobId} (${after.state}) was not recorded: ${String(error)}`));
    return Promise.resolve();
  });
}

/** Builds the control plane on a storage account: the table `tableName`, the jobs queue and the events. */
export function createControlPlane(
  clients: StorageClients,
  tableName: string,
  queues: JsonQueues,
  eventListeners: (repository: ControlPlaneRepository) => readonly EventListener[] = () => [],
): ControlPlane {
  const repository = createControlPlaneRepository(clients.table(tableName));
  const events = createEventLog(repository, queues, eventListeners(repository));
  return {
    repository,
    jobs: jobStoreWithEvents(repository, events, (message) => console.warn(message)),
    jobQueue: createJobQueue(clients.queues.getQueueClient(JOBS_QUEUE)),
    exports: createJobExports(clients.blobs),
    events,
  };
}
