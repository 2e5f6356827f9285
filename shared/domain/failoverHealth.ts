/**
 * Failover health: whether the item is ready to fail over, as ASR judges it. ASR warns (error code
 * 161011, category TestFailover) while a replicated VM has no successful test failover, and this
 * service also warns when the last one is older than the drill window. Pure.
 */
import { TEST_FAILOVER_WARNING_DAYS } from './drillWarning.js';
import type { HealthErrorView } from './replicationHealth.js';

export type FailoverHealth = 'Normal' | 'Warning';

export interface FailoverHealthInput {
  now: Date;
  friendlyName: string;
  lastSuccessfulTestFailoverTime?: string | undefined;
  /** Whether the item replicates (a failover is possible); otherwise no warning is raised. */
  replicating: boolean;
  entityId: string;
}

export interface FailoverHealthView {
  failoverHealth: FailoverHealth;
  healthErrors: HealthErrorView[];
}

const DAY_MS = 86_400_000;

export function computeFailoverHealth(input: FailoverHealthInput): FailoverHealthView {
  const last = input.lastSuccessfulTestFailoverTime;
  const recent = last !== undefined && input.now.getTime() - Date.parse(last) <= TEST_FAILOVER_WARNING_DAYS * DAY_MS;
  if (!input.replicating || recent) return { failoverHealth: 'Normal', healthErrors: [] };
  const message = last
    ? `No successful test failover has been done on the virtual machine '${input.friendlyName}' in the last ${TEST_FAILOVER_WARNING_DAYS} days (the last was on ${last}).`
    : `No successful test failover has been done on the virtual machine '${input.friendlyName}'.`;
  return {
    failoverHealth: 'Warning',
    healthErrors: [
      {
        errorId: '161011',
        errorCode: '161011',
        errorLevel: 'Warning',
        errorSource: 'ReplicationUnitFailoverValidatorError',
        errorType: '8010',
        errorCategory: 'TestFailover',
        summaryMessage: 'Test failover not done recently.',
        errorMessage: message,
        possibleCauses: last
          ? `The last successful test failover is more than ${TEST_FAILOVER_WARNING_DAYS} days old.`
          : 'No successful test failover has been done on the virtual machine after it was replicated.',
        recommendedAction: 'Do a test failover on the virtual machine.',
        creationTimeUtc: input.now.toISOString(),
        entityId: input.entityId,
        customerResolvability: 'NotAllowed',
      },
    ],
  };
}
