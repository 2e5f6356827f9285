/**
 * The web console's pure modules: its routes, the RPO sawtooth, the job filter, task progress and
 * errors, and the bodies of its actions — each accepted by the schema the service's handler
 * validates that operation with, and sent to an operation the service serves.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parseJobFilter } from '../../../shared/jobs/parseJobFilter.js';
import type { Job as StoredJob } from '../../../shared/jobs/jobModel.js';
import { PLAN_OPERATION_ROUTES } from '../../../shared/plans/planCommands.js';
import { planBodySchema } from '../../../shared/plans/planInputs.js';
import type { PlanOperation } from '../../../shared/plans/planStages.js';
import { applyRecoveryPointBody, plannedFailoverBody, reprotectBody, testFailoverBody, testFailoverCleanupBody, unplannedFailoverBody } from '../../../shared/protection/failoverInputs.js';
import { itemOperationNames } from '../../../shared/protection/protectedItemOperations.js';
import { disableProtectionBody } from '../../../shared/protection/protectionInputs.js';
import type { Job, ProtectedItem, RecoveryPlan } from '../../../portal/src/api/types.js';
import { ITEM_ACTION_NAMES, ITEM_ACTIONS, offeredItemActions } from '../../../portal/src/model/itemActions.js';
import { jobErrors, jobFilterOf, taskPercent } from '../../../portal/src/model/jobView.js';
import { overviewOf } from '../../../portal/src/model/overview.js';
import { PLAN_ACTION_NAMES, PLAN_ACTIONS } from '../../../portal/src/model/planActions.js';
import { rpoSeries } from '../../../portal/src/model/rpoSeries.js';
import { parseRoute, routeHref, type Route } from '../../../portal/src/routing/routes.js';

const BASE = '/api/portal/';
const VAULT = { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'dr-rg', vault: 'dr-vault' };
const ITEM_ID = `/subscriptions/${VAULT.subscriptionId}/resourceGroups/dr-rg/providers/Microsoft.RecoveryServices/vaults/dr-vault/replicationFabrics/hyperv-site/replicationProtectionContainers/hyperv-site-container/replicationProtectedItems/web-01`;

function item(properties: ProtectedItem['properties']): ProtectedItem {
  return { id: ITEM_ID, name: 'web-01', properties: { friendlyName: 'web-01', primaryFabricFriendlyName: 'hyperv-site', recoveryFabricFriendlyName: 'recovery-site', ...properties } };
}

describe('routes', () => {
  it('round-trips every route through its address, names with dots and spaces included', () => {
    const routes: Array<Exclude<Route, { kind: 'notFound' }>> = [
      { kind: 'vaults' },
      { kind: 'blade', vault: VAULT, blade: 'overview' },
      { kind: 'blade', vault: VAULT, blade: 'events' },
      { kind: 'item', vault: VAULT, item: { fabric: 'hyperv-site', container: 'hyperv-site-container', item: 'web.01 (db)' } },
      { kind: 'job', vault: VAULT, job: '4e83cc86-1f0a-4c3e-9d7a-0d6f3a2b1c00' },
      { kind: 'plan', vault: VAULT, plan: 'three-tier' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route, BASE), BASE)).toEqual(route);
    expect(routeHref({ kind: 'item', vault: VAULT, item: { fabric: 'f', container: 'c', item: 'web.01 (db)' } }, BASE)).toBe(
      '/api/portal/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dr-rg/vaults/dr-vault/items/f/c/web.01%20(db)',
    );
  });

  it('opens a vault at its overview, and knows nothing else', () => {
    expect(parseRoute('/api/portal', BASE)).toEqual({ kind: 'vaults' });
    expect(parseRoute('/api/portal/subscriptions/s/resourceGroups/g/vaults/v', BASE)).toEqual({ kind: 'blade', vault: { subscriptionId: 's', resourceGroup: 'g', vault: 'v' }, blade: 'overview' });
    for (const other of ['/api/portal/nowhere', '/api/portal/subscriptions/s/resourceGroups/g/vaults/v/drills', '/api/portal/subscriptions/s/resourceGroups/g/vaults/v/items/f/c', '/elsewhere/', '/api/portal/subscriptions/s/resourceGroups/g/vaults/%E0%A4%A']) {
      expect(parseRoute(other, BASE), other).toEqual({ kind: 'notFound' });
    }
  });
});

describe('rpoSeries', () => {
  it('climbs from each point to the next and drops to zero when the next is taken, up to now', () => {
    expect(rpoSeries([20, 10, 35], 40)).toEqual([
      [10, 19.999, 20, 34.999, 35, 40],
      [0, 10, 0, 15, 0, 5],
    ]);
    expect(rpoSeries([], 40)).toEqual([[], []]);
  });
});

describe('item actions', () => {
  const schemaOf: Record<string, z.ZodType> = {
    testFailover: testFailoverBody,
    testFailoverCleanup: testFailoverCleanupBody,
    plannedFailover: plannedFailoverBody,
    unplannedFailover: unplannedFailoverBody,
    applyRecoveryPoint: applyRecoveryPointBody,
    reProtect: reprotectBody,
    remove: disableProtectionBody,
  };
  const point = { kind: 'Custom' as const, pointId: `${ITEM_ID}/recoveryPoints/8203680545003-72f78e6e3476` };

  it('offers what allowedOperations has, in the console order', () => {
    expect(offeredItemActions(item({ allowedOperations: ['PlannedFailover', 'UnplannedFailover', 'DisableProtection', 'TestFailover', 'RepairReplication'] }))).toEqual([
      'TestFailover',
      'PlannedFailover',
      'UnplannedFailover',
      'RepairReplication',
      'DisableProtection',
    ]);
    expect(offeredItemActions(item({ allowedOperations: ['TestFailoverCleanup', 'SomethingNew'] }))).toEqual(['TestFailoverCleanup']);
    expect(offeredItemActions(item({}))).toEqual([]);
  });

  it("sends each action to an operation the service serves, with a body its handler's schema accepts", () => {
    const served = new Set(itemOperationNames());
    for (const name of ITEM_ACTION_NAMES) {
      const request = ITEM_ACTIONS[name].request(item({ activeLocation: 'Primary' }), { point, comments: 'drill passed' });
      expect(served.has(request.operation.toLowerCase()), `${name} → ${request.operation}`).toBe(true);
      const schema = schemaOf[request.operation];
      if (schema) expect(schema.safeParse(request.body).success, `${name}: ${JSON.stringify(request.body)}`).toBe(true);
      else expect(request.body, name).toBeUndefined();
      expect(ITEM_ACTIONS[name].consequence(item({})), name).toMatch(/web-01/);
    }
  });

  it('names the recovery point as the portal offers it, and fails over away from where the VM runs', () => {
    const testFailover = (choice: Parameters<typeof ITEM_ACTIONS.TestFailover.request>[1]['point']) => ITEM_ACTIONS.TestFailover.request(item({}), choice ? { point: choice } : {}).body;
    expect(testFailover({ kind: 'Latest' })).toEqual({ properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } });
    expect(testFailover({ kind: 'LatestProcessed' })).toMatchObject({ properties: { providerSpecificDetails: { recoveryPointId: 'LatestProcessed' } } });
    expect(testFailover({ kind: 'LatestApplicationConsistent' })).toMatchObject({ properties: { providerSpecificDetails: { recoveryPointId: 'LatestApplicationConsistent' } } });
    expect(testFailover(point)).toMatchObject({ properties: { providerSpecificDetails: { recoveryPointId: point.pointId } } });
    expect(ITEM_ACTIONS.PlannedFailover.request(item({ activeLocation: 'Recovery' }), {}).body).toMatchObject({ properties: { failoverDirection: 'RecoveryToPrimary' } });
    expect(ITEM_ACTIONS.ReverseReplicate.request(item({ activeLocation: 'Recovery' }), {}).body).toMatchObject({ properties: { failoverDirection: 'RecoveryToPrimary' } });
    expect(ITEM_ACTIONS.Failback.request(item({}), {}).body).toMatchObject({ properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback' } } });
  });
});

describe('plan actions', () => {
  it("sends each to a plan operation the service serves, with a body its handler's schema accepts", () => {
    const plan: RecoveryPlan = { id: 'p', name: 'three-tier', properties: {} };
    for (const name of PLAN_ACTION_NAMES) {
      const request = PLAN_ACTIONS[name].request({ direction: 'PrimaryToRecovery', pointType: 'LatestApplicationConsistent', comments: 'ok' });
      const operation: PlanOperation | undefined = PLAN_OPERATION_ROUTES[request.operation.toLowerCase()];
      expect(operation, `${name} → ${request.operation}`).toBeDefined();
      if (operation) expect(planBodySchema(operation).safeParse(request.body ?? {}).success, `${name}: ${JSON.stringify(request.body)}`).toBe(true);
      expect(PLAN_ACTIONS[name].consequence(plan)).toMatch(/three-tier|primary site/);
    }
  });
});

describe('jobs', () => {
  const job = (properties: Job['properties']): Job => ({ id: `j-${properties.state ?? ''}`, name: `j-${properties.state ?? ''}`, properties });

  it("builds the list's $filter as the service reads it", () => {
    const now = Date.parse('2026-01-02T03:00:00Z');
    const filter = jobFilterOf({ state: 'Failed', withinHours: 24 }, now);
    expect(filter).toBe("state eq 'Failed' and startTime ge '2026-01-01T03:00:00.000Z'");
    const select = parseJobFilter(filter);
    const stored = (state: StoredJob['state'], startTime: string) => ({ state, startTime }) as StoredJob;
    expect([select(stored('Failed', '2026-01-01T04:00:00Z')), select(stored('Failed', '2026-01-01T02:00:00Z')), select(stored('Succeeded', '2026-01-01T04:00:00Z'))]).toEqual([true, false, false]);
    expect(jobFilterOf({ state: '', withinHours: 0 })).toBeUndefined();
  });

  it('measures tasks, a plan group by its finished VMs and actions, and lists each error once with where it happened', () => {
    expect(taskPercent({ state: 'InProgress', stateDescription: '37%' })).toBe(37);
    expect(taskPercent({ state: 'Failed' })).toBe(100);
    expect(taskPercent({ state: 'InProgress', groupTaskCustomDetails: { childTasks: [{ state: 'Succeeded' }, { state: 'InProgress' }, { state: 'NotStarted' }] } })).toBe(33);
    const error = { serviceErrorDetails: { code: 'RunbookTimedOut', message: 'No answer within 2 s.', recommendedAction: 'Restart the job.' } };
    const failed = job({ state: 'Failed', errors: [error], tasks: [{ name: 'Group 1: Start', errors: [error], groupTaskCustomDetails: { childTasks: [{ friendlyName: 'runbook', errors: [{ serviceErrorDetails: { code: 'Other', message: 'm' } }] }] } }] });
    expect(jobErrors(failed)).toEqual([
      { code: 'RunbookTimedOut', message: 'No answer within 2 s.', recommendedAction: 'Restart the job.' },
      { where: 'runbook', code: 'Other', message: 'm' },
    ]);
  });

  it('counts the overview: health, state, late replication, overdue drills and the last day of jobs', () => {
    const now = Date.parse('2026-07-01T00:00:00Z');
    const items = [
      item({ replicationHealth: 'Normal', protectionState: 'Protected', protectionStateDescription: 'Protected', lastSuccessfulTestFailoverTime: '2026-06-01T00:00:00Z' }),
      item({ replicationHealth: 'Critical', protectionState: 'Protected', protectionStateDescription: 'Protected' }),
      item({ replicationHealth: 'Normal', protectionState: 'InitialReplicationInProgress', protectionStateDescription: 'Enabling protection' }),
    ];
    const jobs = [job({ state: 'InProgress', startTime: '2026-06-30T12:00:00Z' }), job({ state: 'Failed', startTime: '2026-06-30T13:00:00Z' }), job({ state: 'Failed', startTime: '2026-06-20T00:00:00Z' })];
    const overview = overviewOf(items, jobs, now);
    expect(overview.byHealth).toEqual([{ key: 'Normal', count: 2 }, { key: 'Critical', count: 1 }]);
    expect(overview.byState).toEqual([{ key: 'Protected', count: 2 }, { key: 'Enabling protection', count: 1 }]);
    expect([overview.breachingRpo.length, overview.testFailoverOverdue.length, overview.jobsInProgress.length, overview.jobsFailed.length]).toEqual([1, 1, 1, 1]);
  });
});
