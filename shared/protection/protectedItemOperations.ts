/**
 * The POST operations on a protected item (`…/replicationProtectedItems/{item}/{operation}`), one
 * entry per operation name as the official client sends it. Each admits its command and returns the
 * job whose status the client polls.
 */
import type { VaultRef } from '../arm/resourceId.js';
import type { Job } from '../jobs/jobModel.js';
import { disableProtection } from './disableProtection.js';
import { applyRecoveryPoint, failoverCommit, plannedFailover, reProtect, testFailover, testFailoverCleanup, unplannedFailover } from './failoverCommands.js';
import type { ProtectionServices } from './protectionServices.js';
import { repairReplication } from './repairReplication.js';

/** What an operation gets: the item's route names and the request body. */
export interface ItemOperationRequest {
  services: ProtectionServices;
  vault: VaultRef;
  route: { fabricName: string; containerName: string; itemName: string };
  body: unknown;
  /** The request's `x-ms-client-request-id`, when valid: a retry gets the job the first request started. */
  clientRequestId?: string;
}

/** Admits one operation; the job is what the client's poller follows. */
export type ItemOperation = (request: ItemOperationRequest) => Promise<Job>;

/** Operations by lower-cased name. */
const OPERATIONS: Readonly<Record<string, ItemOperation>> = {
  remove: async ({ services, vault, route, body, clientRequestId }) =>
    (await disableProtection(services.plane, vault, route, body, { purge: false, ...(clientRequestId ? { clientRequestId } : {}) })) as Job,
  repairreplication: ({ services, vault, route, clientRequestId }) => repairReplication(services, vault, route, clientRequestId),
  testfailover: testFailover,
  testfailovercleanup: testFailoverCleanup,
  plannedfailover: plannedFailover,
  unplannedfailover: unplannedFailover,
  applyrecoverypoint: applyRecoveryPoint,
  failovercommit: failoverCommit,
  reprotect: reProtect,
};

/** The operation of that name (case-insensitive), or `undefined`. */
export function findItemOperation(name: string): ItemOperation | undefined {
  return Object.hasOwn(OPERATIONS, name.toLowerCase()) ? OPERATIONS[name.toLowerCase()] : undefined;
}

/** The supported operation names, for a 404's message. */
export const itemOperationNames = (): string[] => Object.keys(OPERATIONS);
