import { z } from 'zod';

/** Our limits (wider than ASR's 30/300/900 s and 24 h). */
export const POLICY_LIMITS = {
  recoveryPointHistoryDuration: { min: 0, max: 720 },
  applicationConsistentSnapshotFrequencyInHours: { min: 0, max: 12 },
  replicationInterval: { min: 5, max: 900 },
} as const;

/** Defaults as the ASR portal proposes them. */
export const POLICY_DEFAULTS = { recoveryPointHistoryDuration: 2, applicationConsistentSnapshotFrequencyInHours: 1, replicationInterval: 300 } as const;

const { recoveryPointHistoryDuration: rp, applicationConsistentSnapshotFrequencyInHours: app, replicationInterval: ri } = POLICY_LIMITS;

/** `HyperVReplicaAzurePolicyInput`, every field optional (PATCH merges, PUT fills defaults). */
export const hyperVReplicaAzurePolicyInputSchema = z.object({
  instanceType: z.literal('HyperVReplicaAzure', "must be 'HyperVReplicaAzure'"),
  recoveryPointHistoryDuration: z
    .number('must be a number of hours')
    .int('must be a whole number of hours')
    .min(rp.min, `must be at least ${rp.min} hours`)
    .max(rp.max, `must be at most ${rp.max} hours`)
    .optional(),
  applicationConsistentSnapshotFrequencyInHours: z
    .number('must be a number of hours')
    .int('must be a whole number of hours')
    .min(app.min, `must be at least ${app.min} hours`)
    .max(app.max, `must be at most ${app.max} hours`)
    .optional(),
  replicationInterval: z
    .number('must be a number of seconds')
    .int('must be a whole number of seconds')
    .min(ri.min, `must be at least ${ri.min} seconds`)
    .max(ri.max, `must be at most ${ri.max} seconds`)
    .optional(),
  onlineReplicationStartTime: z
    .string()
    .regex(/^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, "must be a time of day 'HH:MM' or 'HH:MM:SS'")
    .nullable()
    .optional(),
  storageAccounts: z.array(z.string().min(1).max(512)).max(16, 'holds at most 16 accounts').optional(),
});

export type HyperVReplicaAzurePolicyInput = z.infer<typeof hyperVReplicaAzurePolicyInputSchema>;

/** PUT body: `{ properties: { providerSpecificInput } }`. */
export const policyCreationSchema = z.object({
  properties: z.object({ providerSpecificInput: hyperVReplicaAzurePolicyInputSchema }, 'is required'),
});

/** PATCH body: `{ properties: { replicationProviderSettings } }`. */
export const policyUpdateSchema = z.object({
  properties: z.object({ replicationProviderSettings: hyperVReplicaAzurePolicyInputSchema }, 'is required'),
});
