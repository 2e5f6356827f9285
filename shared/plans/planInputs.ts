/**
 * Bodies of the plan operations as the official client sends them (`providerSpecificDetails` is an
 * array here), and what each means for one item of the plan: the item operation, its body, and the
 * machine event admission checks first. Pure.
 */
import { z } from 'zod';
import type { CommandEvent } from '../domain/protectionEvents.js';
import type { FailoverDirection } from '../domain/protectionState.js';
import type { PlanOperation } from './planStages.js';

const direction = z.enum(['PrimaryToRecovery', 'RecoveryToPrimary']);
const providerDetails = z
  .array(
    z.discriminatedUnion('instanceType', [
      z.object({ instanceType: z.literal('HyperVReplicaAzure'), recoveryPointType: z.enum(['Latest', 'LatestApplicationConsistent', 'LatestProcessed']).optional() }).loose(),
      z
        .object({
          instanceType: z.literal('HyperVReplicaAzureFailback'),
          dataSyncOption: z.enum(['ForDownTime', 'ForSynchronization']).optional(),
          recoveryVmCreationOption: z.enum(['CreateVmIfNotFound', 'NoAction']).optional(),
        })
        .loose(),
    ]),
  )
  .max(4)
  .optional();

const bodies = {
  TestFailover: z.object({ properties: z.object({ failoverDirection: direction, networkType: z.string('is required').min(1).max(64), networkId: z.string().max(1024).optional(), providerSpecificDetails: providerDetails }) }),
  TestFailoverCleanup: z.object({ properties: z.object({ comments: z.string().max(1024).optional() }) }),
  PlannedFailover: z.object({ properties: z.object({ failoverDirection: direction, providerSpecificDetails: providerDetails }) }),
  UnplannedFailover: z.object({ properties: z.object({ failoverDirection: direction, sourceSiteOperations: z.enum(['Required', 'NotRequired'], "must be 'Required' or 'NotRequired'"), providerSpecificDetails: providerDetails }) }),
  Commit: z.unknown(),
  CancelFailover: z.unknown(),
  ReverseReplicate: z.unknown(),
} as const satisfies Record<PlanOperation, z.ZodType>;

/** A plan operation's request, validated: what every item of the plan is asked. */
export interface PlanRequest {
  operation: PlanOperation;
  direction: FailoverDirection;
  sourceSiteOperations?: 'Required' | 'NotRequired';
  networkType?: string;
  networkId?: string;
  comments?: string;
  recoveryPointType?: 'Latest' | 'LatestApplicationConsistent' | 'LatestProcessed';
  failback?: { dataSyncOption?: 'ForDownTime' | 'ForSynchronization'; recoveryVmCreationOption?: 'CreateVmIfNotFound' | 'NoAction' };
}

export const planRequestSchema = z.object({
  operation: z.enum(['TestFailover', 'TestFailoverCleanup', 'PlannedFailover', 'UnplannedFailover', 'Commit', 'CancelFailover', 'ReverseReplicate']),
  direction: direction,
  sourceSiteOperations: z.enum(['Required', 'NotRequired']).optional(),
  networkType: z.string().optional(),
  networkId: z.string().optional(),
  comments: z.string().optional(),
  recoveryPointType: z.enum(['Latest', 'LatestApplicationConsistent', 'LatestProcessed']).optional(),
  failback: z.object({ dataSyncOption: z.enum(['ForDownTime', 'ForSynchronization']).optional(), recoveryVmCreationOption: z.enum(['CreateVmIfNotFound', 'NoAction']).optional() }).optional(),
});

/** The schema of an operation's body. */
export const planBodySchema = (operation: PlanOperation): z.ZodType => bodies[operation];

/** The request a parsed body makes; `replicationDirection` is where the plan's items replicate now (commit, cancel, re-protect take no direction). */
export function planRequestOf(operation: PlanOperation, body: unknown, replicationDirection: FailoverDirection): PlanRequest {
  const props = (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  const details = (props.providerSpecificDetails as Array<Record<string, unknown>> | undefined) ?? [];
  const failover = details.find((entry) => entry.instanceType === 'HyperVReplicaAzure') as { recoveryPointType?: PlanRequest['recoveryPointType'] } | undefined;
  const failback = details.find((entry) => entry.instanceType === 'HyperVReplicaAzureFailback') as PlanRequest['failback'] | undefined;
  const requested = props.failoverDirection as FailoverDirection | undefined;
  return {
    operation,
    direction: requested ?? (operation === 'ReverseReplicate' ? 'RecoveryToPrimary' : replicationDirection),
    ...(props.sourceSiteOperations ? { sourceSiteOperations: props.sourceSiteOperations as 'Required' | 'NotRequired' } : {}),
    ...(typeof props.networkType === 'string' ? { networkType: props.networkType } : {}),
    ...(typeof props.networkId === 'string' ? { networkId: props.networkId } : {}),
    ...(typeof props.comments === 'string' ? { comments: props.comments } : {}),
    ...(failover?.recoveryPointType ? { recoveryPointType: failover.recoveryPointType } : {}),
    ...(failback ? { failback: { ...(failback.dataSyncOption ? { dataSyncOption: failback.dataSyncOption } : {}), ...(failback.recoveryVmCreationOption ? { recoveryVmCreationOption: failback.recoveryVmCreationOption } : {}) } } : {}),
  };
}

/** The machine event an item of the plan is checked against before the plan job is admitted. */
export function itemEventOf(request: PlanRequest): CommandEvent {
  switch (request.operation) {
    case 'TestFailover':
      return { type: 'TestFailover', direction: request.direction };
    case 'TestFailoverCleanup':
      return { type: 'TestFailoverCleanup' };
    case 'PlannedFailover':
      return { type: 'PlannedFailover', direction: request.direction };
    case 'UnplannedFailover':
      return { type: 'UnplannedFailover', direction: request.direction };
    case 'Commit':
      return { type: 'Commit' };
    case 'CancelFailover':
      return { type: 'CancelFailover' };
    case 'ReverseReplicate':
      return { type: 'ReverseReplicate', direction: request.direction };
  }
}

/** The item operation (its name in `protectedItemOperations`) and the body each item of the plan gets. */
export function itemCommandOf(request: PlanRequest): { operation: string; body: unknown } {
  const point = request.recoveryPointType && request.recoveryPointType !== 'Latest' ? { recoveryPointId: request.recoveryPointType } : {};
  switch (request.operation) {
    case 'TestFailover':
      return {
        operation: 'testFailover',
        body: { properties: { failoverDirection: request.direction, ...(request.networkType ? { networkType: request.networkType } : {}), ...(request.networkId ? { networkId: request.networkId } : {}), providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', ...point } } },
      };
    case 'TestFailoverCleanup':
      return { operation: 'testFailoverCleanup', body: { properties: request.comments ? { comments: request.comments } : {} } };
    case 'PlannedFailover':
      return {
        operation: 'plannedFailover',
        body: {
          properties: {
            failoverDirection: request.direction,
            providerSpecificDetails: request.direction === 'RecoveryToPrimary' ? { instanceType: 'HyperVReplicaAzureFailback', ...request.failback } : { instanceType: 'HyperVReplicaAzure' },
          },
        },
      };
    case 'UnplannedFailover':
      return { operation: 'unplannedFailover', body: { properties: { failoverDirection: request.direction, sourceSiteOperations: request.sourceSiteOperations ?? 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', ...point } } } };
    case 'Commit':
      return { operation: 'failoverCommit', body: undefined };
    case 'CancelFailover':
      return { operation: 'failoverCancel', body: undefined };
    case 'ReverseReplicate':
      return { operation: 'reProtect', body: { properties: { failoverDirection: request.direction } } };
  }
}

/** ASR's job names of the plan operations. */
export const PLAN_JOB_NAMES: Record<PlanOperation, { scenarioName: string; friendlyName: string }> = {
  TestFailover: { scenarioName: 'TestFailover', friendlyName: 'Test failover' },
  TestFailoverCleanup: { scenarioName: 'TestFailoverCleanup', friendlyName: 'Test failover cleanup' },
  PlannedFailover: { scenarioName: 'PlannedFailover', friendlyName: 'Planned failover' },
  UnplannedFailover: { scenarioName: 'UnplannedFailover', friendlyName: 'Failover' },
  Commit: { scenarioName: 'CommitFailover', friendlyName: 'Commit' },
  CancelFailover: { scenarioName: 'CancelFailover', friendlyName: 'Cancel failover' },
  ReverseReplicate: { scenarioName: 'ReverseReplication', friendlyName: 'Reprotect' },
};
