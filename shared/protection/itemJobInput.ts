/** What a job on a protected item carries: where its item is, the machine's plan, and the command's own inputs. */
import { z } from 'zod';
import type { ProtectionEffect } from '../domain/protectionEffects.js';
import type { CycleState } from '../replication/cycleState.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Effects as stored by admission (the machine made them; a step reads them back). */
const effects = z.custom<ProtectionEffect[]>((value) => Array.isArray(value) && value.every((effect) => isRecord(effect) && typeof effect.type === 'string'), 'a list of effects');

/** A replication cycle as stored in the item row. */
export const cycleStateSchema = z.custom<CycleState>((value) => isRecord(value) && typeof value.cycleId === 'string' && Array.isArray(value.disks), 'a replication cycle');

export const itemJobInputSchema = z.object({
  fabricName: z.string(),
  containerName: z.string(),
  itemName: z.string(),
  plan: effects,
  /** A cycle the command's restart or stop of replication interrupted (cleaned up by the job). */
  interruptedCycle: cycleStateSchema.optional(),
  /** Test failover cleanup's comments. */
  comments: z.string().optional(),
  /** Disable protection: the `DELETE` form (purge), and the reason given. */
  purge: z.boolean().optional(),
  reason: z.string().optional(),
  /** A background job the command took the item over from (ended as cancelled). */
  preemptedJobId: z.string().optional(),
  /** An update's: the background scenario to hand the item back to. */
  resumeScenario: z.object({ scenarioName: z.string(), jobId: z.string(), startTime: z.string() }).optional(),
  /** A (test) failover's: the network, subnet and address of the VM it brings up, resolved at admission (`networks/recoveryNic.ts`). */
  recoveryNic: z.object({ networkId: z.string().optional(), subnetName: z.string().optional(), ipAddress: z.string().optional() }).optional(),
});

export type ItemJobInput = z.infer<typeof itemJobInputSchema>;

/** What a job's steps decided so far (each field written by the step that decides it). */
export const itemStepDataSchema = z.object({
  /** When the operation asked for a fresh point (ISO). */
  freshSince: z.string().optional(),
  /** When a failback asked for a point while the VM still ran (ISO). */
  presyncSince: z.string().optional(),
  /** The point the operation uses (pinned by the job). */
  pointId: z.string().optional(),
  /** The VM the operation created. */
  vmId: z.string().optional(),
  /** A replication cycle the job's stop of replication interrupted, to clean up. */
  abandonedCycle: cycleStateSchema.optional(),
  /** The effects a report applied with its outcome (their follow-ups re-run after a crash). */
  applied: effects.optional(),
  /** Disable: when a chain that had run was stopped (ISO). */
  stoppedAt: z.string().optional(),
});

export type ItemStepData = z.infer<typeof itemStepDataSchema>;

export const itemProgressSchema = z.object({ step: z.number().int().nonnegative(), data: itemStepDataSchema });

export type ItemProgress = z.infer<typeof itemProgressSchema>;
