/**
 * The failover family's commands on a protected item: parse the body the official client sends,
 * check what the item's recovery points and the vault's sites allow, and admit the job with the
 * machine's plan.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { parseInput } from '../arm/parseInput.js';
import { failoverDirectionOf } from '../domain/protectionMachine.js';
import type { CommandEvent } from '../domain/protectionEvents.js';
import type { RecoveryPointChoice } from '../domain/recoveryPointChoice.js';
import type { Deps } from '../deps.js';
import { HttpError } from '../errors/HttpError.js';
import { FABRIC_ROW, type FabricRecord } from '../infra/fabrics.js';
import { networkNameOf, type FailoverItemDetails, type JobCustomDetails } from '../jobs/jobDetails.js';
import type { Job } from '../jobs/jobModel.js';
import { recoveryNicFor } from '../networks/itemNetworkFacts.js';
import type { StoredRow } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { admitItemCommand } from './admitItemCommand.js';
import type { ItemJobSpec } from './itemJobSpec.js';
import {
  applyRecoveryPointBody,
  plannedFailoverBody,
  recoveryPointChoiceOf,
  reprotectBody,
  testFailoverBody,
  testFailoverCleanupBody,
  unplannedFailoverBody,
} from './failoverInputs.js';
import { requireProtectedItem } from './itemLookup.js';
import type { ItemOperation, ItemOperationRequest } from './itemOperation.js';
import { taskNamesOf, type ItemWorkflow } from './itemWorkflow.js';
import { pointsKeyOf, primaryOf, type ProtectedItemRecord } from './protectedItemRecord.js';
import { cancelFailoverWorkflow } from './workflows/cancelFailoverJob.js';
import { changeRecoveryPointWorkflow } from './workflows/changeRecoveryPointJob.js';
import { commitWorkflow } from './workflows/commitJob.js';
import { failoverWorkflow } from './workflows/failoverJob.js';
import { reprotectWorkflow } from './workflows/reprotectJob.js';
import { testFailoverCleanupWorkflow } from './workflows/testFailoverCleanupJob.js';
import { testFailoverWorkflow } from './workflows/testFailoverJob.js';

const POINT_FIELD = 'properties.providerSpecificDetails.recoveryPointId';

/** The job of a workflow, named as ASR names it. */
const jobOf = (workflow: ItemWorkflow, scenarioName: string, friendlyName: string, extra: Pick<ItemJobSpec, 'input' | 'customDetails'> = {}): ItemJobSpec => ({
  kind: workflow.kind,
  scenarioName,
  friendlyName,
  tasks: taskNamesOf(workflow),
  ...extra,
});

/** The item as a (test) failover job shows it, before the point and the VM are known. */
function itemDetails(item: ProtectedItemRecord, networkId: string | undefined, test: boolean): FailoverItemDetails {
  return {
    name: item.name,
    friendlyName: item.friendlyName,
    ...(test ? { testVmName: `${item.recovery.vmName}-test`, testVmFriendlyName: `${item.recovery.vmName}-test` } : {}),
    ...(networkId ? { networkConnectionStatus: 'Connected', networkFriendlyName: networkNameOf(networkId) } : {}),
    ...(item.recovery.subnetName ? { subnet: item.recovery.subnetName } : {}),
  };
}

const failoverDetails = (item: ProtectedItemRecord, networkId = item.recovery.networkId): JobCustomDetails => ({ instanceType: 'FailoverJobDetails', protectedItemDetails: [itemDetails(item, networkId, false)] });

/** A failover's job: its details, and the network its VM attaches to (the item's, else the mapped one). */
async function failoverJob(request: ItemOperationRequest, item: ProtectedItemRecord, workflow: ItemWorkflow, scenarioName: string, friendlyName: string): Promise<ItemJobSpec> {
  const recoveryNic = await recoveryNicFor(request.deps.plane.repository, request.vault, item, 'failover');
  return jobOf(workflow, scenarioName, friendlyName, { customDetails: failoverDetails(item, recoveryNic.networkId), input: { recoveryNic } });
}

async function admit(request: ItemOperationRequest, row: StoredRow<ProtectedItemRecord>, event: CommandEvent, job: ItemJobSpec): Promise<Job> {
  return (await admitItemCommand(request.deps.plane, row, { event, job, ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}) })).job;
}

/** 400 unless a named recovery point exists (the job would otherwise fail later). */
async function checkChoice(deps: Deps, item: ProtectedItemRecord, choice: RecoveryPointChoice, field: string, direction = item.state.replicationDirection): Promise<void> {
  if (choice.kind !== 'Custom') return;
  if (!(await deps.points.get(pointsKeyOf(item, direction), choice.recoveryPointId))) {
    throw new HttpError(400, 'RecoveryPointNotFound', `Invalid value for '${field}': the recovery point '${choice.recoveryPointId}' does not exist or has been pruned.`, undefined, field);
  }
}

/**
 * The Hyper-V site a failback to an alternate location goes to, from `providerIdForAlternateRecovery`
 * (a fabric id or name of this vault); `undefined` when it names the site the VM already lives at.
 */
async function alternateSite(deps: Deps, vault: VaultRef, item: ProtectedItemRecord, providerId: string): Promise<string | undefined> {
  const field = 'properties.providerSpecificDetails.providerIdForAlternateRecovery';
  const segments = providerId.split('/').filter(Boolean);
  const at = segments.findIndex((segment) => segment.toLowerCase() === 'replicationfabrics');
  const name = at >= 0 ? segments[at + 1] : segments.length === 1 ? segments[0] : undefined;
  if (!name) throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': must be the id or name of a Hyper-V site fabric of this vault.`, undefined, field);
  const fabric = await deps.plane.repository.get<FabricRecord>(vaultPartition(vault), FABRIC_ROW, name);
  if (!fabric || fabric.value.instanceType !== 'HyperVSite') {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${JSON.stringify(name)} is not a Hyper-V site fabric of this vault.`, undefined, field);
  }
  return fabric.value.name.toLowerCase() === primaryOf(item).fabricName.toLowerCase() ? undefined : fabric.value.name;
}

export const testFailover: ItemOperation = async (request) => {
  const props = parseInput(testFailoverBody, request.body).properties;
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const choice = recoveryPointChoiceOf(props.providerSpecificDetails?.recoveryPointId);
  await checkChoice(request.deps, row.value, choice, POINT_FIELD);
  // No network named: the item's test network (selectedTfoAzureNetworkId), else the mapped one; none at all when asked for none.
  const recoveryNic = props.networkType === 'NoNetworkAttachAsInput' ? undefined : await recoveryNicFor(request.deps.plane.repository, request.vault, row.value, 'test', props.networkId);
  const networkId = recoveryNic?.networkId;
  const event: CommandEvent = { type: 'TestFailover', choice, ...(props.failoverDirection ? { direction: props.failoverDirection } : {}), ...(networkId ? { networkId } : {}) };
  const customDetails: JobCustomDetails = {
    instanceType: 'TestFailoverJobDetails',
    networkType: networkId ? 'VmNetworkAsInput' : 'NoNetworkAttachAsInput',
    ...(networkId ? { networkName: networkNameOf(networkId), networkFriendlyName: networkNameOf(networkId) } : {}),
    protectedItemDetails: [itemDetails(row.value, networkId, true)],
  };
  return admit(request, row, event, jobOf(testFailoverWorkflow, 'TestFailover', 'Test failover', { customDetails, ...(recoveryNic ? { input: { recoveryNic } } : {}) }));
};

export const testFailoverCleanup: ItemOperation = async (request) => {
  const props = parseInput(testFailoverCleanupBody, request.body ?? { properties: {} }).properties;
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const customDetails: JobCustomDetails = {
    instanceType: 'TestFailoverJobDetails',
    networkType: row.value.testVm?.networkId ? 'VmNetworkAsInput' : 'NoNetworkAttachAsInput',
    ...(props.comments ? { comments: props.comments } : {}),
    protectedItemDetails: [itemDetails(row.value, row.value.testVm?.networkId, true)],
  };
  return admit(request, row, { type: 'TestFailoverCleanup' }, jobOf(testFailoverCleanupWorkflow, 'TestFailoverCleanup', 'Test failover cleanup', { ...(props.comments ? { input: { comments: props.comments } } : {}), customDetails }));
};

export const plannedFailover: ItemOperation = async (request) => {
  const props = parseInput(plannedFailoverBody, request.body).properties;
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const details = props.providerSpecificDetails;
  const alternateFabricName =
    details?.instanceType === 'HyperVReplicaAzureFailback' && details.providerIdForAlternateRecovery
      ? await alternateSite(request.deps, request.vault, row.value, details.providerIdForAlternateRecovery)
      : undefined;
  const failback = failoverDirectionOf(row.value.state, props.failoverDirection) === 'RecoveryToPrimary';
  if (details && (details.instanceType === 'HyperVReplicaAzureFailback') !== failback) {
    const field = 'properties.providerSpecificDetails.instanceType';
    throw new HttpError(
      400,
      'InvalidParameter',
      `Invalid value for '${field}': a ${failback ? 'failback (RecoveryToPrimary)' : 'failover (PrimaryToRecovery)'} takes '${failback ? 'HyperVReplicaAzureFailback' : 'HyperVReplicaAzure'}'.`,
      undefined,
      field,
    );
  }
  const failbackOptions = details?.instanceType === 'HyperVReplicaAzureFailback' ? details : undefined;
  const event: CommandEvent = {
    type: 'PlannedFailover',
    ...(props.failoverDirection ? { direction: props.failoverDirection } : {}),
    ...(alternateFabricName ? { alternateFabricName } : {}),
    ...(failbackOptions?.dataSyncOption ? { dataSyncOption: failbackOptions.dataSyncOption } : {}),
    ...(failbackOptions?.recoveryVmCreationOption ? { recoveryVmCreationOption: failbackOptions.recoveryVmCreationOption } : {}),
  };
  return admit(request, row, event, await failoverJob(request, row.value, failoverWorkflow, 'PlannedFailover', failback ? 'Failback' : 'Planned failover'));
};

export const unplannedFailover: ItemOperation = async (request) => {
  const props = parseInput(unplannedFailoverBody, request.body).properties;
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const choice = recoveryPointChoiceOf(props.providerSpecificDetails?.recoveryPointId);
  await checkChoice(request.deps, row.value, choice, POINT_FIELD, failoverDirectionOf(row.value.state, props.failoverDirection));
  const event: CommandEvent = {
    type: 'UnplannedFailover',
    choice,
    sourceSiteOperations: props.sourceSiteOperations ?? 'NotRequired',
    ...(props.failoverDirection ? { direction: props.failoverDirection } : {}),
  };
  return admit(request, row, event, await failoverJob(request, row.value, failoverWorkflow, 'UnplannedFailover', 'Failover'));
};

export const applyRecoveryPoint: ItemOperation = async (request) => {
  const props = parseInput(applyRecoveryPointBody, request.body).properties;
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  const choice = recoveryPointChoiceOf(props.recoveryPointId);
  await checkChoice(request.deps, row.value, choice, 'properties.recoveryPointId', 'PrimaryToRecovery');
  return admit(request, row, { type: 'ChangePit', choice }, await failoverJob(request, row.value, changeRecoveryPointWorkflow, 'ChangePit', 'Change recovery point'));
};

export const failoverCommit: ItemOperation = async (request) =>
  admit(request, await requireProtectedItem(request.deps.plane.repository, request.vault, request.route), { type: 'Commit' }, jobOf(commitWorkflow, 'CommitFailover', 'Commit'));

/** Undoes an uncommitted failover (ASR's failoverCancel): the VM runs at the primary site again. */
export const failoverCancel: ItemOperation = async (request) =>
  admit(request, await requireProtectedItem(request.deps.plane.repository, request.vault, request.route), { type: 'CancelFailover' }, jobOf(cancelFailoverWorkflow, 'CancelFailover', 'Cancel failover'));

export const reProtect: ItemOperation = async (request) => {
  const props = parseInput(reprotectBody, request.body ?? { properties: {} }).properties;
  const row = await requireProtectedItem(request.deps.plane.repository, request.vault, request.route);
  return admit(request, row, { type: 'ReverseReplicate', ...(props.failoverDirection ? { direction: props.failoverDirection } : {}) }, jobOf(reprotectWorkflow, 'ReverseReplication', 'Reprotect'));
};
