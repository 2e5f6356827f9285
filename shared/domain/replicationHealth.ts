/**
 * Replication health and RPO, computed from when the last recovery point was taken. Pure.
 *
 * The RPO is the age of the newest recovery point (what would be lost if the source failed now).
 * Health is measured against the policy's replication interval, as ASR measures against its
 * copy frequency: Normal while the RPO is within twice the interval (one cycle may be in flight),
 * Warning up to six intervals, Critical beyond that or when replication has stopped with an error.
 */

export type ReplicationHealth = 'Normal' | 'Warning' | 'Critical';

export interface HealthErrorView {
  /** What `resolveHealthErrors` names: the code of a condition, or the code and time of a recorded failure. */
  errorId: string;
  errorCode: string;
  errorLevel: 'Warning' | 'Error';
  errorSource: string;
  errorType: string;
  errorCategory: string;
  summaryMessage: string;
  errorMessage: string;
  possibleCauses: string;
  recommendedAction: string;
  creationTimeUtc: string;
  entityId: string;
  customerResolvability: 'Allowed' | 'NotAllowed';
}

export interface HealthInput {
  now: Date;
  replicationIntervalSeconds: number;
  /** Time of the newest recovery point, if any. */
  lastRecoveryPointTime?: string;
  /** When initial replication (or the current direction's resync) started. */
  replicationStartTime?: string;
  /** The last cycle's failure, when the most recent cycle failed. */
  lastCycleError?: { code: string; message: string; time: string };
  /** Whether replication is expected to run (Protected or replicating). */
  replicating: boolean;
  entityId: string;
}

export interface HealthView {
  replicationHealth: ReplicationHealth;
  rpoInSeconds?: number;
  healthErrors: HealthErrorView[];
}

export const WARNING_INTERVALS = 2;
export const CRITICAL_INTERVALS = 6;

function healthError(input: HealthInput, level: 'Warning' | 'Error', code: string, summary: string, message: string, causes: string, action: string, recordedAt?: string): HealthErrorView {
  return {
    errorId: recordedAt ? cycleErrorId({ code, time: recordedAt }) : code,
    errorCode: code,
    errorLevel: level,
    errorSource: 'Replication',
    errorType: 'Replication',
    errorCategory: 'Replication',
    summaryMessage: summary,
    errorMessage: message,
    possibleCauses: causes,
    recommendedAction: action,
    creationTimeUtc: input.now.toISOString(),
    entityId: input.entityId,
    // A recorded failure can be marked resolved; a lagging RPO clears only when replication catches up.
    customerResolvability: recordedAt ? 'Allowed' : 'NotAllowed',
  };
}

/** The id of the health error a recorded cycle failure shows as. */
export const cycleErrorId = (error: { code: string; time: string }): string => `${error.code}@${error.time}`;

export function computeReplicationHealth(input: HealthInput): HealthView {
  const errors: HealthErrorView[] = [];
  const since = input.lastRecoveryPointTime ?? input.replicationStartTime;
  const rpoInSeconds = input.lastRecoveryPointTime
    ? Math.max(0, Math.round((input.now.getTime() - Date.parse(input.lastRecoveryPointTime)) / 1000))
    : undefined;

  // Not replicating (failed over, disabled): no lag to measure, but a recorded failure still shows until resolved.
  const ageSeconds = since && input.replicating ? (input.now.getTime() - Date.parse(since)) / 1000 : 0;
  const interval = input.replicationIntervalSeconds;
  let health: ReplicationHealth = 'Normal';
  if (ageSeconds > CRITICAL_INTERVALS * interval && input.lastRecoveryPointTime) {
    health = 'Critical';
    errors.push(
      healthError(
        input,
        'Error',
        'RpoThresholdExceeded',
        'Replication is lagging: the recovery point objective is exceeded.',
        `The newest recovery point is ${Math.round(ageSeconds)} s old, more than ${CRITICAL_INTERVALS} replication intervals (${interval} s each).`,
        'The source site cannot be read, the recovery site storage is unavailable or throttling, or the change rate exceeds what one cycle can upload.',
        'Check the Hyper-V host and both sites\' storage; if the replica is inconsistent, run Repair replication.',
      ),
    );
  } else if (ageSeconds > WARNING_INTERVALS * interval && input.lastRecoveryPointTime) {
    health = 'Warning';
    errors.push(
      healthError(
        input,
        'Warning',
        'RpoThresholdWarning',
        'Replication is behind schedule.',
        `The newest recovery point is ${Math.round(ageSeconds)} s old, more than ${WARNING_INTERVALS} replication intervals (${interval} s each).`,
        'A replication cycle is taking longer than the interval, usually because of a burst of writes at the source.',
        'No action is needed if the lag recovers; otherwise check the source workload\'s write rate.',
      ),
    );
  }
  if (input.lastCycleError) {
    health = health === 'Normal' ? 'Warning' : health;
    errors.push(
      healthError(
        input,
        'Warning',
        input.lastCycleError.code,
        'The last replication cycle failed; it will be retried.',
        input.lastCycleError.message,
        'A transient failure reading the source disks or writing the replicas.',
        'No action is needed if the next cycle succeeds; otherwise check both sites\' storage.',
        input.lastCycleError.time,
      ),
    );
  }
  return { replicationHealth: health, rpoInSeconds, healthErrors: errors };
}
