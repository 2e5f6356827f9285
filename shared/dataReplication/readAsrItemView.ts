/**
 * What the DataReplication view takes from the item's ASR view (`toProtectedItemResource`): the
 * health it computed, the initial replication progress it shows and where each disk's replica is,
 * so that both views of one item report the same values. Pure.
 */
import { z } from 'zod';
import type { ArmResource } from '../arm/armResource.js';

const healthError = z
  .object({
    errorCode: z.string(),
    errorLevel: z.string().optional(),
    errorSource: z.string().optional(),
    errorType: z.string().optional(),
    errorCategory: z.string().optional(),
    summaryMessage: z.string().optional(),
    errorMessage: z.string().optional(),
    possibleCauses: z.string().optional(),
    recommendedAction: z.string().optional(),
    creationTimeUtc: z.string().optional(),
    customerResolvability: z.string().optional(),
  })
  .loose();

const asrItemView = z
  .object({
    replicationHealth: z.string().optional(),
    healthErrors: z.array(healthError).optional(),
    providerSpecificDetails: z
      .object({
        initialReplicationDetails: z.object({ initialReplicationProgressPercentage: z.string().optional() }).loose().optional(),
        azureVmDiskDetails: z.array(z.object({ diskId: z.string(), targetDiskLocation: z.string().optional() }).loose()).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/** One health error as the ASR view shows it. */
export type AsrHealthError = z.infer<typeof healthError>;

/** The parts of the ASR view the DataReplication view repeats. */
export interface AsrItemFacts {
  replicationHealth: string;
  healthErrors: AsrHealthError[];
  initialReplicationProgressPercentage?: number;
  /** Replica URL (no SAS) by lower-cased disk id. */
  replicaLocations: ReadonlyMap<string, string>;
}

/** Reads the facts from an item's ASR view; a view without them (it never lacks them) reads as healthy and empty. */
export function readAsrItemView(view: ArmResource): AsrItemFacts {
  const properties = asrItemView.parse(view.properties);
  const details = properties.providerSpecificDetails;
  const percent = Number(details?.initialReplicationDetails?.initialReplicationProgressPercentage);
  const replicaLocations = new Map<string, string>();
  for (const disk of details?.azureVmDiskDetails ?? []) if (disk.targetDiskLocation) replicaLocations.set(disk.diskId.toLowerCase(), disk.targetDiskLocation);
  return {
    replicationHealth: properties.replicationHealth ?? 'Normal',
    healthErrors: properties.healthErrors ?? [],
    ...(Number.isFinite(percent) ? { initialReplicationProgressPercentage: percent } : {}),
    replicaLocations,
  };
}
