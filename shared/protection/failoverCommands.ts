/**
 * The failover family's commands on a protected item: parse the body the official client sends,
 * check what the item's state and recovery points allow, and admit the job.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { parseInput } from '../arm/parseInput.js';
import type { FailoverDirection } from '../domain/protectionMachine.js';
import type { RecoveryPointChoice } from '../domain/recoveryPointChoice.js';
import { HttpError } from '../errors/HttpError.js';
import { FABRIC_ROW, type FabricRecord } from '../infra/fabrics.js';
import { vaultPartition } from '../repos/partitions.js';
import type { Job } from '../jobs/jobModel.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { admitItemCommand, requireProtectedItem, type ItemCommand as AdmittedCommand } from './protectedItems.js';
import type { ItemOperation } from './protectedItemOperations.js';
import {
  applyRecoveryPointBody,
  plannedFailoverBody,
  recoveryPointChoiceOf,
  reprotectBody,
  testFailoverBody,
  testFailoverCleanupBody,
  unplannedFailoverBody,
} from './failoverInputs.js';
import {
  CHANGE_RECOVERY_POINT_JOB,
  COMMIT_JOB,
  FAILOVER_JOB,
  REPROTECT_JOB,
  TEST_FAILOVER_CLEANUP_JOB,
  TEST_FAILOVER_JOB,
  failoverTasks,
  type FailoverJobInput,
} from './failoverJobs.js';
import { primaryOf, type ProtectedItemRecord } from './protectedItemRecord.js';
import type { ProtectionServices } from './protectionServices.js';
import { reversePointsKey } from './replicationEndpoints.js';

type ItemRef = { fabricName: string; containerName: string; itemName: string };

const itemRow = (services: ProtectionServices, vault: VaultRef, ref: ItemRef): Promise<StoredRow<ProtectedItemRecord>> =>
  requireProtectedItem(services.plane.repository, vault, ref.fabricName, ref.containerName, ref.itemName);

/**
 * Background scenarios a failover-family command may take over: their job only follows replication,
 * and the state machine already refuses the command until replication has reached `Protected`.
 */
const BACKGROUND = new Set(['IrCompletion', 'RepairReplication']);

async function admit(services: ProtectionServices, row: StoredRow<ProtectedItemRecord>, command: AdmittedCommand): Promise<Job> {
  return (await admitItemCommand(services.plane, row, { ...command, preempt: BACKGROUND })).job;
}

/** 400 unless a named recovery point exists (the job would otherwise fail later). */
async function checkChoice(services: ProtectionServices, item: ProtectedItemRecord, choice: RecoveryPointChoice, field: string, reverse = false): Promise<void> {
  if (choice.kind !== 'Custom') return;
  const key = reverse ? reversePointsKey(item.itemKey) : item.itemKey;
  if (!(await services.points.get(key, choice.recoveryPointId))) {
    throw new HttpError(400, 'RecoveryPointNotFound', `Invalid value for '${field}': the recovery point '${choice.recoveryPointId}' does not exist or has been pruned.`, undefined, field);
  }
}

function checkDirection(item: ProtectedItemRecord, requested: FailoverDirection | undefined, field: string): FailoverDirection {
  const direction = requested ?? item.state.replicationDirection;
  if (direction !== item.state.replicationDirection) {
    throw new HttpError(
      409,
      'OperationNotAllowed',
      `Invalid value for '${field}': the item replicates ${item.state.replicationDirection}, so it can only fail over in that direction.`,
      undefined,
      field,
    );
  }
  return direction;
}

/**
 * The Hyper-V site a failback to an alternate location goes to, from `providerIdForAlternateRecovery`
 * (a fabric id or name of this vault); `undefined` when it names the site the VM already lives at.
 */
async function alternateSite(services: ProtectionServices, vault: VaultRef, item: ProtectedItemRecord, providerId: string): Promise<string | undefined> {
  const field = 'properties.providerSpecificDetails.providerIdForAlternateRecovery';
  const segments = providerId.split('/').filter(Boolean);
  const at = segments.findIndex((segment) => segment.toLowerCase() === 'replicationfabrics');
  const name = at >= 0 ? segments[at + 1] : segments.length === 1 ? segments[0] : undefined;
  if (!name) throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': must be the id or name of a Hyper-V site fabric of this vault.`, undefined, field);
  const fabric = await services.plane.repository.get<FabricRecord>(vaultPartition(vault), FABRIC_ROW, name);
  if (!fabric || fabric.value.instanceType !== 'HyperVSite') {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${JSON.stringify(name)} is not a Hyper-V site fabric of this vault.`, undefined, field);
  }
  return fabric.value.name.toLowerCase() === primaryOf(item).fabricName.toLowerCase() ? undefined : fabric.value.name;
}

export const testFailover: ItemOperation = async ({ services, vault, route, body }) => {
  const props = parseInput(testFailoverBody, body).properties;
  const row = await itemRow(services, vault, route);
  const choice = recoveryPointChoiceOf(props.providerSpecificDetails?.recoveryPointId);
  await checkChoice(services, row.value, choice, 'properties.providerSpecificDetails.recoveryPointId');
  return admit(services, row, {
    event: { type: 'TestFailover', direction: props.failoverDirection ?? 'PrimaryToRecovery' },
    job: { kind: TEST_FAILOVER_JOB, scenarioName: 'TestFailover', friendlyName: 'Test failover', tasks: failoverTasks(TEST_FAILOVER_JOB), input: { choice, ...(props.networkId ? { networkId: props.networkId } : {}) } },
  });
};

export const testFailoverCleanup: ItemOperation = async ({ services, vault, route, body }) => {
  const props = parseInput(testFailoverCleanupBody, body ?? { properties: {} }).properties;
  const row = await itemRow(services, vault, route);
  return admit(services, row, {
    event: { type: 'TestFailoverCleanup' },
    job: {
      kind: TEST_FAILOVER_CLEANUP_JOB,
      scenarioName: 'TestFailoverCleanup',
      friendlyName: 'Cleanup test failover',
      tasks: failoverTasks(TEST_FAILOVER_CLEANUP_JOB),
      input: props.comments ? { comments: props.comments } : {},
    },
  });
};

export const plannedFailover: ItemOperation = async ({ services, vault, route, body }) => {
  const props = parseInput(plannedFailoverBody, body).properties;
  const row = await itemRow(services, vault, route);
  const details = props.providerSpecificDetails;
  const alternateFabricName =
    details?.instanceType === 'HyperVReplicaAzureFailback' && details.providerIdForAlternateRecovery
      ? await alternateSite(services, vault, row.value, details.providerIdForAlternateRecovery)
      : undefined;
  const direction = checkDirection(row.value, props.failoverDirection, 'properties.failoverDirection');
  const failback = direction === 'RecoveryToPrimary';
  if (details && (details.instanceType === 'HyperVReplicaAzureFailback') !== failback) {
    throw new HttpError(
      400,
      'InvalidParameter',
      `Invalid value for 'properties.providerSpecificDetails.instanceType': a ${failback ? 'failback (RecoveryToPrimary)' : 'failover (PrimaryToRecovery)'} takes '${failback ? 'HyperVReplicaAzureFailback' : 'HyperVReplicaAzure'}'.`,
      undefined,
      'properties.providerSpecificDetails.instanceType',
    );
  }
  const input: Omit<FailoverJobInput, keyof ItemRef> = { direction, planned: true, shutdownSource: true, choice: { kind: 'Latest' }, ...(alternateFabricName ? { alternateFabricName } : {}) };
  return admit(services, row, {
    event: { type: 'PlannedFailover', direction },
    job: { kind: FAILOVER_JOB, scenarioName: 'PlannedFailover', friendlyName: failback ? 'Failback' : 'Planned failover', tasks: failoverTasks(FAILOVER_JOB), input: { ...input } },
  });
};

export const unplannedFailover: ItemOperation = async ({ services, vault, route, body }) => {
  const props = parseInput(unplannedFailoverBody, body).properties;
  const row = await itemRow(services, vault, route);
  const direction = checkDirection(row.value, props.failoverDirection, 'properties.failoverDirection');
  const choice = recoveryPointChoiceOf(props.providerSpecificDetails?.recoveryPointId);
  await checkChoice(services, row.value, choice, 'properties.providerSpecificDetails.recoveryPointId', direction === 'RecoveryToPrimary');
  const shutdownSource = (props.sourceSiteOperations ?? 'NotRequired') === 'Required';
  // Without the source, Latest cannot replicate what is pending: it means the latest processed point.
  const input: Omit<FailoverJobInput, keyof ItemRef> = { direction, planned: false, shutdownSource, choice: !shutdownSource && choice.kind === 'Latest' ? { kind: 'LatestProcessed' } : choice };
  return admit(services, row, {
    event: { type: 'UnplannedFailover', direction },
    job: { kind: FAILOVER_JOB, scenarioName: 'UnplannedFailover', friendlyName: 'Failover', tasks: failoverTasks(FAILOVER_JOB), input: { ...input } },
  });
};

export const applyRecoveryPoint: ItemOperation = async ({ services, vault, route, body }) => {
  const props = parseInput(applyRecoveryPointBody, body).properties;
  const row = await itemRow(services, vault, route);
  if (row.value.state.replicationDirection !== 'PrimaryToRecovery') {
    throw new HttpError(409, 'OperationNotAllowed', 'Changing the recovery point applies to a failover to the recovery site, not to a failback.');
  }
  const choice = recoveryPointChoiceOf(props.recoveryPointId);
  await checkChoice(services, row.value, choice, 'properties.recoveryPointId');
  return admit(services, row, {
    event: { type: 'ChangePit' },
    job: { kind: CHANGE_RECOVERY_POINT_JOB, scenarioName: 'ChangePit', friendlyName: 'Change recovery point', tasks: failoverTasks(CHANGE_RECOVERY_POINT_JOB), input: { choice } },
  });
};

export const failoverCommit: ItemOperation = async ({ services, vault, route }) =>
  admit(services, await itemRow(services, vault, route), {
    event: { type: 'Commit' },
    job: { kind: COMMIT_JOB, scenarioName: 'CommitFailover', friendlyName: 'Commit', tasks: failoverTasks(COMMIT_JOB) },
  });

export const reProtect: ItemOperation = async ({ services, vault, route, body }) => {
  const props = parseInput(reprotectBody, body ?? { properties: {} }).properties;
  return admit(services, await itemRow(services, vault, route), {
    event: { type: 'ReverseReplicate', direction: props.failoverDirection ?? 'RecoveryToPrimary' },
    job: { kind: REPROTECT_JOB, scenarioName: 'ReverseReplicate', friendlyName: 'Re-protect', tasks: failoverTasks(REPROTECT_JOB) },
  });
};
