/**
 * The POST operations on a protected item (`…/replicationProtectedItems/{item}/{operation}`), one
 * entry per operation name as the official client sends it. Each admits its command and returns the
 * job whose status the client polls.
 */
import type { Job } from '../jobs/jobModel.js';
import { disableProtection } from './disableProtection.js';
import { applyRecoveryPoint, failoverCancel, failoverCommit, plannedFailover, reProtect, testFailover, testFailoverCleanup, unplannedFailover } from './failoverCommands.js';
import type { ItemOperation } from './itemOperation.js';
import { addDisks, removeDisks } from './itemDisks.js';
import { repairReplication } from './repairReplication.js';
import { resolveHealthErrors } from './resolveHealthErrors.js';

/** Operations by lower-cased name. */
const OPERATIONS: Readonly<Record<string, ItemOperation>> = {
  remove: async ({ deps, vault, route, body, clientRequestId }) => {
    const job: Job | undefined = await disableProtection(deps.plane, vault, route, body, { purge: false, ...(clientRequestId ? { clientRequestId } : {}) });
    if (!job) throw new RangeError('Disabling an existing item always admits a job.');
    return job;
  },
  repairreplication: repairReplication,
  testfailover: testFailover,
  testfailovercleanup: testFailoverCleanup,
  plannedfailover: plannedFailover,
  unplannedfailover: unplannedFailover,
  applyrecoverypoint: applyRecoveryPoint,
  failovercommit: failoverCommit,
  failovercancel: failoverCancel,
  reprotect: reProtect,
  resolvehealtherrors: resolveHealthErrors,
  adddisks: addDisks,
  removedisks: removeDisks,
};

/** The operation of that name (case-insensitive), or `undefined`. */
export function findItemOperation(name: string): ItemOperation | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(OPERATIONS, key) ? OPERATIONS[key] : undefined;
}

/** The supported operation names, for a 404's message. */
export const itemOperationNames = (): string[] => Object.keys(OPERATIONS);
