/**
 * Checks a plan's body against the vault and ASR's limits, and returns its groups in ASR's order
 * (Shutdown, Failover, then the Boot groups): at most 7 Boot groups and 100 items, every item
 * protected from the plan's primary site to its recovery site and listed once, items only in Boot
 * groups, runbooks naming a storage queue, scripts an http(s) URL on a host the settings allow.
 * Every problem is a 400 naming the field.
 */
import { parseVaultChildId, sameVault, type VaultRef } from '../arm/resourceId.js';
import type { RecoveryPlanSettings } from '../config.js';
import { checkOutboundUrl } from '../arm/outboundUrl.js';
import { HttpError } from '../errors/HttpError.js';
import { FABRIC_ROW, type FabricRecord } from '../infra/fabrics.js';
import { findProtectedItem } from '../protection/itemLookup.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import type { PlanActionInput, PlanGroupInput } from './planInput.js';
import type { PlanAction, PlanGroup, PlanItem } from './planRecord.js';
import { parseActionTimeout } from './actionTimeout.js';

export const MAX_BOOT_GROUPS = 7;
export const MAX_PLAN_ITEMS = 100;

const QUEUE_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function badInput(field: string, problem: string): HttpError {
  return new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);
}

/** The fabric a `primaryFabricId` / `recoveryFabricId` names (an id or a name); `"Microsoft Azure"` is the vault's recovery site. */
export async function resolvePlanFabric(repository: ControlPlaneRepository, vault: VaultRef, value: string, field: string, kind: FabricRecord['instanceType']): Promise<FabricRecord> {
  const partition = vaultPartition(vault);
  if (value.toLowerCase() === 'microsoft azure' && kind === 'Azure') {
    const sites: FabricRecord[] = [];
    for await (const row of repository.listAll<FabricRecord>(partition, FABRIC_ROW)) if (row.value.instanceType === 'Azure') sites.push(row.value);
    const [only, ...others] = sites;
    if (!only || others.length > 0) throw badInput(field, `'Microsoft Azure' names the vault's one recovery site, and the vault has ${sites.length}; name the recovery site's fabric id.`);
    return only;
  }
  const parsed = parseVaultChildId(value);
  const [fabric, ...rest] = parsed?.children ?? [];
  const name = parsed ? (sameVault(parsed.vault, vault) && fabric?.type.toLowerCase() === 'replicationfabrics' && rest.length === 0 ? fabric.name : undefined) : value;
  if (!name) throw badInput(field, 'must be the id of a fabric of this vault.');
  const row = await repository.get<FabricRecord>(partition, FABRIC_ROW, name);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `The fabric named by '${field}' (${JSON.stringify(name)}) was not found.`, undefined, field);
  if (row.value.instanceType !== kind) throw badInput(field, `fabric ${JSON.stringify(name)} is not a ${kind === 'HyperVSite' ? 'Hyper-V site' : 'recovery site'}.`);
  return row.value;
}

function checkAction(action: PlanActionInput, field: string, settings: RecoveryPlanSettings): PlanAction {
  const details = action.customDetails;
  if (details.instanceType === 'AutomationRunbookActionDetails') {
    if (!QUEUE_NAME.test(details.runbookId)) throw badInput(`${field}.customDetails.runbookId`, 'must name a storage queue of the service (3–63 lower-case letters, digits and single dashes) that the runbook worker reads.');
    parseActionTimeout(details.timeout, `${field}.customDetails.timeout`);
  }
  if (details.instanceType === 'ScriptActionDetails') {
    checkOutboundUrl(details.path, `${field}.customDetails.path`, settings.scriptHosts, 'RecoveryPlanScriptHosts');
    parseActionTimeout(details.timeout, `${field}.customDetails.timeout`);
  }
  return { actionName: action.actionName, failoverTypes: action.failoverTypes, failoverDirections: action.failoverDirections, customDetails: details };
}

async function resolveItem(repository: ControlPlaneRepository, vault: VaultRef, id: string, field: string, primary: FabricRecord, recovery: FabricRecord): Promise<PlanItem> {
  const parsed = parseVaultChildId(id);
  const [fabric, container, item, ...rest] = parsed?.children ?? [];
  if (!parsed || !sameVault(parsed.vault, vault) || fabric?.type.toLowerCase() !== 'replicationfabrics' || container?.type.toLowerCase() !== 'replicationprotectioncontainers' || item?.type.toLowerCase() !== 'replicationprotecteditems' || rest.length > 0) {
    throw badInput(field, 'must be the id of a replication protected item of this vault.');
  }
  const row = await findProtectedItem(repository, vault, fabric.name, container.name, item.name);
  if (!row) throw new HttpError(404, 'ResourceNotFound', `The replication protected item named by '${field}' (${JSON.stringify(item.name)}) was not found.`, undefined, field);
  const record = row.value;
  if (record.fabricName.toLowerCase() !== primary.name.toLowerCase() || record.recoveryFabricName.toLowerCase() !== recovery.name.toLowerCase()) {
    throw badInput(field, `${JSON.stringify(record.name)} is protected from '${record.fabricName}' to '${record.recoveryFabricName}', not from the plan's '${primary.name}' to '${recovery.name}'.`);
  }
  return { fabricName: record.fabricName, containerName: record.containerName, itemName: record.name, vmId: record.vmId };
}

/** The plan's groups, checked and in ASR's order. */
export async function validatePlanGroups(
  repository: ControlPlaneRepository,
  vault: VaultRef,
  groups: readonly PlanGroupInput[],
  fabrics: { primary: FabricRecord; recovery: FabricRecord },
  settings: RecoveryPlanSettings,
): Promise<PlanGroup[]> {
  const special: Partial<Record<'Shutdown' | 'Failover', PlanGroup>> = {};
  const boot: PlanGroup[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (const [index, group] of groups.entries()) {
    const field = `properties.groups.${index}`;
    const entries = group.replicationProtectedItems ?? [];
    if (group.groupType !== 'Boot' && entries.length > 0) throw badInput(`${field}.replicationProtectedItems`, `a ${group.groupType} group holds no items; put them in Boot groups.`);
    if (group.groupType !== 'Boot' && special[group.groupType]) throw badInput(`${field}.groupType`, `the plan has one ${group.groupType} group.`);
    const items: PlanItem[] = [];
    for (const [at, entry] of entries.entries()) {
      const itemField = `${field}.replicationProtectedItems.${at}.id`;
      const item = await resolveItem(repository, vault, entry.id, itemField, fabrics.primary, fabrics.recovery);
      const key = `${item.fabricName}/${item.containerName}/${item.itemName}`.toLowerCase();
      if (seen.has(key)) throw badInput(itemField, `${JSON.stringify(item.itemName)} is already in the plan; an item is in one group.`);
      seen.add(key);
      items.push(item);
      if (++count > MAX_PLAN_ITEMS) throw badInput('properties.groups', `a plan holds at most ${MAX_PLAN_ITEMS} protected items.`);
    }
    const checked: PlanGroup = {
      groupType: group.groupType,
      items,
      startGroupActions: (group.startGroupActions ?? []).map((action, at) => checkAction(action, `${field}.startGroupActions.${at}`, settings)),
      endGroupActions: (group.endGroupActions ?? []).map((action, at) => checkAction(action, `${field}.endGroupActions.${at}`, settings)),
    };
    if (group.groupType === 'Boot') boot.push(checked);
    else special[group.groupType] = checked;
  }
  if (boot.length > MAX_BOOT_GROUPS) throw badInput('properties.groups', `a plan has at most ${MAX_BOOT_GROUPS} Boot groups (it names ${boot.length}).`);
  const empty = (groupType: 'Shutdown' | 'Failover'): PlanGroup => ({ groupType, items: [], startGroupActions: [], endGroupActions: [] });
  return [special.Shutdown ?? empty('Shutdown'), special.Failover ?? empty('Failover'), ...boot];
}
