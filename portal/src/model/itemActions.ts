/**
 * The actions of a replicated item, as ASR's portal offers them: each offered only when the item's
 * `allowedOperations` has it, each with the words its confirmation says and the request it sends
 * (`POST …/replicationProtectedItems/{item}/{operation}` with the official client's body). Pure.
 */
import type { ProtectedItem } from '../api/types.js';
import { itemNameOf, sitesOf } from './itemFields.js';
import { recoveryPointIdOf, type PointChoice } from './pointChoice.js';

/** `allowedOperations` values the console acts on, in the order it shows them. */
export const ITEM_ACTION_NAMES = [
  'TestFailover',
  'TestFailoverCleanup',
  'PlannedFailover',
  'Failback',
  'UnplannedFailover',
  'Commit',
  'ChangePit',
  'CancelFailover',
  'ReverseReplicate',
  'RepairReplication',
  'DisableProtection',
] as const;
export type ItemActionName = (typeof ITEM_ACTION_NAMES)[number];

/** What the operator gave in the confirmation. */
export interface ActionInput {
  point?: PointChoice;
  comments?: string;
}

/** The request an action sends. */
export interface ActionRequest {
  operation: string;
  body?: unknown;
}

export interface ItemActionDefinition {
  /** The button's label. */
  label: string;
  /** What the confirmation asks besides yes: the recovery point (the four choices, or one to pick), or a comment. */
  asks?: 'pointChoice' | 'pointPick' | 'comments';
  /** Whether the action loses data or protection (its button says so). */
  destructive?: boolean;
  /** What will happen, in words. */
  consequence(item: ProtectedItem): string;
  request(item: ProtectedItem, input: ActionInput): ActionRequest;
}

const HYPER_V = 'HyperVReplicaAzure';

/** The failover direction of an operation that moves the VM away from where it runs now. */
const directionOf = (item: ProtectedItem): 'PrimaryToRecovery' | 'RecoveryToPrimary' => (item.properties.activeLocation === 'Recovery' ? 'RecoveryToPrimary' : 'PrimaryToRecovery');

function withPoint(input: ActionInput): { instanceType: string; recoveryPointId?: string } {
  const id = input.point ? recoveryPointIdOf(input.point) : undefined;
  return id ? { instanceType: HYPER_V, recoveryPointId: id } : { instanceType: HYPER_V };
}

export const ITEM_ACTIONS: Readonly<Record<ItemActionName, ItemActionDefinition>> = {
  TestFailover: {
    label: 'Test failover',
    asks: 'pointChoice',
    consequence: (item) =>
      `A test virtual machine of ${itemNameOf(item)} is started at ${sitesOf(item).recovery} from the recovery point you choose. ` +
      `Replication goes on and ${itemNameOf(item)} keeps running at ${sitesOf(item).primary}. Clean the test failover up when the drill is done.`,
    request: (_item, input) => ({ operation: 'testFailover', body: { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: withPoint(input) } } }),
  },
  TestFailoverCleanup: {
    label: 'Cleanup test failover',
    asks: 'comments',
    consequence: (item) => `The test virtual machine of ${itemNameOf(item)} and its disks are deleted, and your notes are kept on the job. Replication is not affected.`,
    request: (_item, input) => ({ operation: 'testFailoverCleanup', body: { properties: input.comments ? { comments: input.comments } : {} } }),
  },
  PlannedFailover: {
    label: 'Planned failover',
    consequence: (item) =>
      `${itemNameOf(item)} is shut down at ${sitesOf(item).active}, its last changes are replicated, and it starts at ${sitesOf(item).other}. ` +
      'No data is lost; the VM is down while it moves. Commit the failover afterwards.',
    request: (item) => ({ operation: 'plannedFailover', body: { properties: { failoverDirection: directionOf(item), providerSpecificDetails: { instanceType: HYPER_V } } } }),
  },
  Failback: {
    label: 'Failback',
    consequence: (item) =>
      `${itemNameOf(item)} is shut down at ${sitesOf(item).recovery}, its changes are replicated back, and it starts again at ${sitesOf(item).primary}. ` +
      'Commit the failback afterwards.',
    request: () => ({ operation: 'plannedFailover', body: { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback' } } } }),
  },
  UnplannedFailover: {
    label: 'Failover',
    asks: 'pointChoice',
    destructive: true,
    consequence: (item) =>
      `${itemNameOf(item)} is started at ${sitesOf(item).other} from the recovery point you choose, without waiting for ${sitesOf(item).active}: ` +
      `changes made after that point are lost. Use it when ${sitesOf(item).active} is unavailable.`,
    request: (item, input) => ({
      operation: 'unplannedFailover',
      body: { properties: { failoverDirection: directionOf(item), sourceSiteOperations: 'NotRequired', providerSpecificDetails: withPoint(input) } },
    }),
  },
  Commit: {
    label: 'Commit',
    consequence: (item) => `The failover of ${itemNameOf(item)} is made final: the other recovery points are deleted, and it can no longer be cancelled or moved to another point.`,
    request: () => ({ operation: 'failoverCommit' }),
  },
  ChangePit: {
    label: 'Change recovery point',
    asks: 'pointPick',
    consequence: (item) => `The failed-over ${itemNameOf(item)} is restarted at ${sitesOf(item).active} from the recovery point you pick; what it wrote since its failover is lost.`,
    request: (_item, input) => ({
      operation: 'applyRecoveryPoint',
      body: { properties: { recoveryPointId: input.point?.kind === 'Custom' ? input.point.pointId : '', providerSpecificDetails: { instanceType: HYPER_V } } },
    }),
  },
  CancelFailover: {
    label: 'Cancel failover',
    destructive: true,
    consequence: (item) => `The failover of ${itemNameOf(item)} is undone: its VM at ${sitesOf(item).recovery} is removed and it runs again at ${sitesOf(item).primary}.`,
    request: () => ({ operation: 'failoverCancel' }),
  },
  ReverseReplicate: {
    label: 'Re-protect',
    consequence: (item) => `${itemNameOf(item)} starts replicating from ${sitesOf(item).active} back to ${sitesOf(item).other}, so that it can fail back later. An uncommitted failover is committed first.`,
    request: (item) => ({ operation: 'reProtect', body: { properties: { failoverDirection: directionOf(item), providerSpecificDetails: { instanceType: HYPER_V } } } }),
  },
  RepairReplication: {
    label: 'Resynchronize',
    consequence: (item) => `The replication of ${itemNameOf(item)} is repaired: its disks are compared with their replicas and what differs is copied again. Recovery points are kept.`,
    request: () => ({ operation: 'repairReplication' }),
  },
  DisableProtection: {
    label: 'Disable replication',
    destructive: true,
    consequence: (item) =>
      `${itemNameOf(item)} is no longer protected: its replicas and every recovery point are deleted. The VM itself keeps running at ${sitesOf(item).active}. This cannot be undone.`,
    request: () => ({ operation: 'remove', body: { properties: { disableProtectionReason: 'NotSpecified' } } }),
  },
};

/** The actions the item allows now, in the console's order. */
export function offeredItemActions(item: ProtectedItem): ItemActionName[] {
  const allowed = new Set(item.properties.allowedOperations ?? []);
  return ITEM_ACTION_NAMES.filter((name) => allowed.has(name));
}
