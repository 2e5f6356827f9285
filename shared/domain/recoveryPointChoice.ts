/**
 * Choosing the recovery point a (test) failover uses, as the portal offers it. Pure.
 *
 * - `Latest`: replicate what is pending first, then use the newest point (lowest RPO). The caller
 *   runs a cycle and then asks for `LatestProcessed`.
 * - `LatestProcessed`: the newest point already taken (lowest RTO).
 * - `LatestApplicationConsistent`: the newest application-consistent point.
 * - `Custom`: the point named by id.
 */

export type RecoveryPointChoice =
  | { kind: 'Latest' }
  | { kind: 'LatestProcessed' }
  | { kind: 'LatestApplicationConsistent' }
  | { kind: 'Custom'; recoveryPointId: string };

export interface PointSummary {
  id: string;
  time: string;
  type: 'CrashConsistent' | 'ApplicationConsistent';
}

/** Why no point could be chosen: a code, a message and what the operator can do. */
export interface NoPoint {
  ok: false;
  code: 'NoRecoveryPointAvailable' | 'NoApplicationConsistentRecoveryPoint' | 'RecoveryPointNotFound';
  message: string;
  recommendedAction: string;
}

export type PointSelection<P> = { ok: true; point: P } | NoPoint;

/** Picks a point from `points` (any order). `Latest` behaves as `LatestProcessed` here. */
export function selectRecoveryPoint<P extends PointSummary>(points: readonly P[], choice: RecoveryPointChoice): PointSelection<P> {
  const newestFirst = [...points].sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  switch (choice.kind) {
    case 'Latest':
    case 'LatestProcessed': {
      const point = newestFirst[0];
      return point
        ? { ok: true, point }
        : { ok: false, code: 'NoRecoveryPointAvailable', message: 'The item has no recovery point yet.', recommendedAction: 'Wait for initial replication to complete.' };
    }
    case 'LatestApplicationConsistent': {
      const point = newestFirst.find((p) => p.type === 'ApplicationConsistent');
      return point
        ? { ok: true, point }
        : {
            ok: false,
            code: 'NoApplicationConsistentRecoveryPoint',
            message: 'The item has no application-consistent recovery point.',
            recommendedAction: 'Choose the latest processed point, or wait for the next application-consistent snapshot.',
          };
    }
    case 'Custom': {
      const point = points.find((p) => p.id === choice.recoveryPointId);
      return point
        ? { ok: true, point }
        : {
            ok: false,
            code: 'RecoveryPointNotFound',
            message: `The recovery point '${choice.recoveryPointId}' does not exist or has been pruned.`,
            recommendedAction: "List the item's recovery points and choose one of them.",
          };
    }
  }
}
