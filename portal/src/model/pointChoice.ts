/**
 * Which recovery point a failover uses, as the portal offers it: Latest (replicate what is pending
 * first: the lowest RPO), Latest processed (the newest point already taken: the lowest RTO), Latest
 * application-consistent, or a point the operator picks. Pure.
 */
import type { RecoveryPoint } from '../api/types.js';

export type PointChoice = { kind: 'Latest' } | { kind: 'LatestProcessed' } | { kind: 'LatestApplicationConsistent' } | { kind: 'Custom'; pointId: string };

export const POINT_CHOICES: ReadonlyArray<{ kind: PointChoice['kind']; label: string; hint: string }> = [
  { kind: 'Latest', label: 'Latest (lowest RPO)', hint: 'Replicates the changes not yet sent, then uses the point that makes.' },
  { kind: 'LatestProcessed', label: 'Latest processed (lowest RTO)', hint: 'The newest point already taken: no wait.' },
  { kind: 'LatestApplicationConsistent', label: 'Latest app-consistent', hint: 'The newest application-consistent point.' },
  { kind: 'Custom', label: 'Custom', hint: 'A point you choose below.' },
];

/** The `recoveryPointId` a `HyperVReplicaAzure` failover input carries (none for Latest). */
export function recoveryPointIdOf(choice: PointChoice): string | undefined {
  switch (choice.kind) {
    case 'Latest':
      return undefined;
    case 'LatestProcessed':
    case 'LatestApplicationConsistent':
      return choice.kind;
    case 'Custom':
      return choice.pointId;
  }
}

export const isAppConsistent = (point: RecoveryPoint): boolean => point.properties.recoveryPointType === 'ApplicationConsistent';

/** `Crash-consistent` or `App-consistent`, from ASR's `recoveryPointType`. */
export const pointTypeLabel = (point: RecoveryPoint): string => (isAppConsistent(point) ? 'App-consistent' : 'Crash-consistent');
