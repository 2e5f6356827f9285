import { appDeps } from '../../shared/appDeps.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { requireVault } from '../../shared/infra/vaults.js';
import { clientRequestIdOf } from '../../shared/arm/clientRequestId.js';
import { applyRecoveryPointBody, plannedFailoverBody, reprotectBody, testFailoverBody, testFailoverCleanupBody, unplannedFailoverBody } from '../../shared/protection/failoverInputs.js';
import { addDisksBody, removeDisksBody } from '../../shared/protection/itemDisks.js';
import { findItemOperation, itemOperationNames } from '../../shared/protection/protectedItemOperations.js';
import { disableProtectionBody } from '../../shared/protection/protectionInputs.js';
import { resolveHealthErrorsBody } from '../../shared/protection/resolveHealthErrors.js';
import { itemRouteOf, PROTECTED_ITEM_ROUTE } from '../../shared/protection/protectedItemRoutes.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** POST operations on a protected item (`remove`, `repairReplication`, …): each answers 202 with its job. */
const handler = armHandler(async (request) => {
  const deps = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(deps.plane.repository, vault);
  const name = request.params.operation ?? '';
  const operation = findItemOperation(name);
  if (!operation) {
    throw new HttpError(404, 'OperationNotSupported', `The operation ${JSON.stringify(name)} is not supported on replication protected items; supported: ${itemOperationNames().join(', ')}.`);
  }
  const clientRequestId = clientRequestIdOf(request.headers);
  return acceptedJob(request, await operation({ deps, vault, route: itemRouteOf(request.params), body: request.body, ...(clientRequestId ? { clientRequestId } : {}) }));
});

export const protectedItemOperations: ArmFunction = {
  name: 'protectedItemOperations',
  methods: ['POST'],
  route: `${PROTECTED_ITEM_ROUTE}/{operation}`,
  handler,
  // One entry per operation of `shared/protection/protectedItemOperations.ts`, named as the official client sends it.
  operations: {
    POST: {
      actions: {
        remove: { summary: "Disables protection: deletes what replication wrote, then the item.", requestBody: disableProtectionBody, missingBodyAs: {}, responses: [202] },
        repairReplication: { summary: "Resynchronizes the item's replica.", responses: [202] },
        testFailover: { summary: 'Starts a test VM at the recovery site from a recovery point, replication going on.', requestBody: testFailoverBody, responses: [202] },
        testFailoverCleanup: { summary: 'Deletes the test VM of a test failover.', requestBody: testFailoverCleanupBody, missingBodyAs: { properties: {} }, responses: [202] },
        plannedFailover: { summary: 'Fails over without data loss: shuts the source down, replicates the rest, starts the VM at the other site.', requestBody: plannedFailoverBody, responses: [202] },
        unplannedFailover: { summary: 'Fails over to a recovery point, the source site lost or not.', requestBody: unplannedFailoverBody, responses: [202] },
        applyRecoveryPoint: { summary: 'Moves a failed-over VM to another recovery point before commit.', requestBody: applyRecoveryPointBody, responses: [202] },
        failoverCommit: { summary: 'Commits a failover: the recovery points before it go.', responses: [202] },
        failoverCancel: { summary: 'Undoes an uncommitted failover: the VM runs at the primary site again.', responses: [202] },
        reProtect: { summary: 'Reverses replication after a failover.', requestBody: reprotectBody, missingBodyAs: { properties: {} }, responses: [202] },
        resolveHealthErrors: { summary: "Marks recorded health errors of the item as dealt with.", requestBody: resolveHealthErrorsBody, responses: [202] },
        addDisks: { summary: 'Adds disks of the VM to replication.', requestBody: addDisksBody, responses: [202] },
        removeDisks: { summary: 'Removes disks of the VM from replication.', requestBody: removeDisksBody, responses: [202] },
      },
    },
  },
};
