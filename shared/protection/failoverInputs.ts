/**
 * Bodies of the failover family of `replicationProtectedItems` operations, as the official client
 * sends them, and the recovery point choice they carry.
 *
 * A `HyperVReplicaAzure` input names its point by `recoveryPointId`: absent means Latest (replicate
 * what is pending first, lowest RPO); the id (or name) of a recovery point chooses that point; the
 * names `LatestProcessed` and `LatestApplicationConsistent` choose the newest point already taken or
 * the newest application-consistent one, as the portal offers them.
 */
import { z } from 'zod';
import type { RecoveryPointChoice } from '../domain/recoveryPointChoice.js';

const direction = z.enum(['PrimaryToRecovery', 'RecoveryToPrimary']);
const pointId = z.string().min(1).max(1024).optional();
const hyperVFailover = z.object({ instanceType: z.literal('HyperVReplicaAzure'), recoveryPointId: pointId }).loose();
const hyperVFailback = z
  .object({
    instanceType: z.literal('HyperVReplicaAzureFailback'),
    dataSyncOption: z.enum(['ForDownTime', 'ForSynchronization']).optional(),
    recoveryVmCreationOption: z.enum(['CreateVmIfNotFound', 'NoAction']).optional(),
    providerIdForAlternateRecovery: z.string().max(1024).optional(),
  })
  .loose();

export const testFailoverBody = z.object({
  properties: z.object({
    failoverDirection: direction.optional(),
    networkType: z.string().max(64).optional(),
    networkId: z.string().max(1024).optional(),
    providerSpecificDetails: hyperVFailover.optional(),
  }),
});

export const testFailoverCleanupBody = z.object({
  properties: z.object({ comments: z.string().max(1024).optional() }),
});

export const plannedFailoverBody = z.object({
  properties: z.object({
    failoverDirection: direction.optional(),
    providerSpecificDetails: z.discriminatedUnion('instanceType', [hyperVFailover, hyperVFailback]).optional(),
  }),
});

export const unplannedFailoverBody = z.object({
  properties: z.object({
    failoverDirection: direction.optional(),
    sourceSiteOperations: z.enum(['Required', 'NotRequired']).optional(),
    providerSpecificDetails: hyperVFailover.optional(),
  }),
});

export const applyRecoveryPointBody = z.object({
  properties: z.object({
    recoveryPointId: z.string().min(1).max(1024),
    providerSpecificDetails: z.object({ instanceType: z.literal('HyperVReplicaAzure') }).loose().optional(),
  }),
});

export const reprotectBody = z.object({
  properties: z.object({
    failoverDirection: direction.optional(),
    providerSpecificDetails: z.object({ instanceType: z.literal('HyperVReplicaAzure') }).loose().optional(),
  }),
});

/** The recovery point choice a `recoveryPointId` expresses (see the module comment). */
export function recoveryPointChoiceOf(recoveryPointId: string | undefined): RecoveryPointChoice {
  if (!recoveryPointId) return { kind: 'Latest' };
  const name = recoveryPointId.split('/').filter(Boolean).pop() ?? recoveryPointId;
  switch (name.toLowerCase()) {
    case 'latest':
      return { kind: 'Latest' };
    case 'latestprocessed':
      return { kind: 'LatestProcessed' };
    case 'latestapplicationconsistent':
      return { kind: 'LatestApplicationConsistent' };
    default:
      return { kind: 'Custom', recoveryPointId: name };
  }
}
