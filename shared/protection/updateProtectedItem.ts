/**
 * Update a protected item (`replicationProtectedItems` PATCH): the compute and network settings of
 * its VM at the recovery site. The settings are validated and written with the job in one
 * ETag-conditional transaction (so the operation's final GET shows them); refused while a failover,
 * test failover, re-protect or disable is in progress. The job (`workflows/updateProtectedItemJob.ts`)
 * hands the item back to the background scenario it interrupted.
 */
import { parseInput } from '../arm/parseInput.js';
import type { VaultRef } from '../arm/resourceId.js';
import { scenariosTakenOverBy } from '../domain/itemScenarios.js';
import type { ProtectionState, TestFailoverState } from '../domain/protectionState.js';
import { HttpError } from '../errors/HttpError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import type { Job } from '../jobs/jobModel.js';
import { admitItemCommand } from './admitItemCommand.js';
import { requireProtectedItem, type ItemRoute } from './itemLookup.js';
import { taskNamesOf } from './itemWorkflow.js';
import type { ProtectedItemRecord, RecoveryVmSettings } from './protectedItemRecord.js';
import { recoveryNicIdOf } from './protectedItemResource.js';
import { updateProtectedItemBody, type UpdateProtectedItemBody } from './protectionInputs.js';
import { requireNetworkId, requireResourceGroupId } from './recoveryTargetIds.js';
import { requireFittingSize } from './recoverySizes.js';
import { updateProtectedItemWorkflow } from './workflows/updateProtectedItemJob.js';

/** States in which the recovery VM's settings are in use by an operation and cannot change. */
const BUSY_STATES: ReadonlySet<ProtectionState> = new Set([
  'PlannedFailoverInitiated',
  'UnplannedFailoverInitiated',
  'ChangeRecoveryPointInitiated',
  'CommitFailoverInProgress',
  'ReprotectInitiated',
  'DisablingProtection',
]);
const BUSY_TEST_STATES: ReadonlySet<TestFailoverState> = new Set(['TestFailoverInitiated', 'TestFailoverCleanupInitiated']);

function badInput(field: string, problem: string): HttpError {
  return new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);
}

/** The recovery settings after an update (validated). Pure. */
export function updatedRecoverySettings(record: ProtectedItemRecord, input: UpdateProtectedItemBody['properties']): RecoveryVmSettings {
  const next: RecoveryVmSettings = { ...record.recovery };
  if (input.recoveryAzureVMName !== undefined) next.vmName = input.recoveryAzureVMName;
  if (input.recoveryAzureVMSize !== undefined) {
    next.vmSize = requireFittingSize('properties.recoveryAzureVMSize', input.recoveryAzureVMSize, record);
  }
  if (input.selectedRecoveryAzureNetworkId !== undefined) {
    requireNetworkId('properties.selectedRecoveryAzureNetworkId', input.selectedRecoveryAzureNetworkId);
    next.networkId = input.selectedRecoveryAzureNetworkId;
  }
  if (input.selectedTfoAzureNetworkId !== undefined) {
    requireNetworkId('properties.selectedTfoAzureNetworkId', input.selectedTfoAzureNetworkId);
    next.testNetworkId = input.selectedTfoAzureNetworkId;
  }
  if (input.licenseType !== undefined) next.licenseType = input.licenseType;
  const provider = input.providerSpecificDetails;
  const resourceGroupId = provider?.recoveryAzureV2ResourceGroupId;
  if (resourceGroupId !== undefined) {
    requireResourceGroupId('properties.providerSpecificDetails.recoveryAzureV2ResourceGroupId', resourceGroupId);
    next.resourceGroupId = resourceGroupId;
  }
  for (const [index, nic] of (input.vmNics ?? []).entries()) {
    if (nic.nicId.toLowerCase() !== recoveryNicIdOf(record).toLowerCase()) {
      throw badInput(`properties.vmNics.${index}.nicId`, `the VM has one network adapter, ${JSON.stringify(recoveryNicIdOf(record))}.`);
    }
    const configs = nic.ipConfigs ?? [];
    const primary = configs.find((config) => config.isPrimary) ?? configs[0];
    if (!primary) continue;
    if (primary.recoverySubnetName !== undefined) {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(primary.recoverySubnetName)) {
        throw badInput(`properties.vmNics.${index}.ipConfigs.${configs.indexOf(primary)}.recoverySubnetName`, "must contain only letters, digits, '_', '.', '-'.");
      }
      next.subnetName = primary.recoverySubnetName;
    }
    if (primary.recoveryStaticIPAddress !== undefined) {
      if (primary.recoveryStaticIPAddress === '') delete next.staticIpAddress;
      else next.staticIpAddress = primary.recoveryStaticIPAddress;
    }
  }
  if (next.staticIpAddress && !next.networkId) {
    throw badInput('properties.vmNics', 'a static IP address needs a recovery network (selectedRecoveryAzureNetworkId).');
  }
  return next;
}

/** Admits an update of an item's recovery settings. */
export async function updateProtectedItem(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  vault: VaultRef,
  route: ItemRoute,
  body: unknown,
  clientRequestId?: string,
): Promise<{ job: Job; record: ProtectedItemRecord }> {
  const input = parseInput(updateProtectedItemBody, body).properties;
  const row = await requireProtectedItem(plane.repository, vault, route);
  const state = row.value.state;
  if (BUSY_STATES.has(state.protectionState) || BUSY_TEST_STATES.has(state.testFailoverState)) {
    throw new HttpError(
      409,
      'OperationInProgress',
      `The settings of replication protected item ${JSON.stringify(row.value.name)} cannot change while it is in state '${state.protectionState}'${state.testFailoverState === 'None' ? '' : ` (${state.testFailoverState})`}.`,
    );
  }
  const recovery = updatedRecoverySettings(row.value, input);
  const event = { type: 'UpdateSettings' } as const;
  const current = row.value.currentScenario;
  const resumeScenario = current && scenariosTakenOverBy(event).has(current.scenarioName) ? current : undefined;
  return admitItemCommand(plane, row, {
    event,
    ...(clientRequestId ? { clientRequestId } : {}),
    job: {
      kind: updateProtectedItemWorkflow.kind,
      scenarioName: 'UpdateVmProperties',
      friendlyName: 'Update the virtual machine',
      tasks: taskNamesOf(updateProtectedItemWorkflow),
      ...(resumeScenario ? { input: { resumeScenario } } : {}),
    },
    apply: (record) => ({ ...record, recovery }),
  });
}
