/**
 * Seeded fuzzing of the whole ARM surface against the local host: every route of `ARM_API` (and the
 * catch-all) with hostile names, api-versions, methods, bodies, content types and query strings.
 * No answer is a 5xx, every 4xx is in the ARM error envelope, and the vault is as it was.
 * The seed is printed; `FUZZ_SEED=<n>` (and `FUZZ_RUNS=<n>`) replays a failure.
 */
import type { Job as ReplicationJob } from '@azure/arm-recoveryservices-siterecovery';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ARM_API } from '../../../functions/arm/armApi.js';
import { zUnservedArmPaths } from '../../../functions/arm/zUnservedArmPaths.js';
import { startService, type Service } from '../../support/clients.js';
import { protectNewVm } from '../lifecycle/lifecycleFixture.js';
import { MiB, prepareProtection, type ProtectionVault } from '../protection/protectionFixture.js';
import { describeRequest, guaranteedRefusal, hostileRequest, requestTarget, sendHostile, type RouteSpec } from './hostileRequest.js';
import { isArmErrorEnvelope, quickSnapshot, vaultSnapshot } from './vaultSnapshot.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
const RUNS = Number(process.env.FUZZ_RUNS ?? 800);
const ITEM = 'fuzz-vm';

const routes: RouteSpec[] = [...ARM_API, zUnservedArmPaths].map(({ name, route, methods }) => ({ name, route, methods }));

let service: Service;
let p: ProtectionVault;
let real: (param: string) => string;

beforeAll(async () => {
  service = await startService();
  // A long interval: the item is protected, and quiet while the fuzzer runs.
  p = await prepareProtection(service, 900);
  const vm = await protectNewVm(p, ITEM, [1 * MiB]);
  const jobs = await settledJobs(p);
  const points = [];
  for await (const point of p.sr.recoveryPoints.listByReplicationProtectedItems(p.vault, p.rg, p.site, p.container, ITEM)) points.push(point);
  const values: Record<string, string> = {
    subscriptionId: p.sub,
    resourceGroupName: p.rg,
    vaultName: p.vault,
    fabricName: p.site,
    protectionContainerName: p.container,
    replicatedProtectedItemName: ITEM,
    protectedItemName: ITEM,
    protectableItemName: vm.id,
    policyName: 'policy',
    mappingName: 'mapping',
    jobName: jobs[0]?.name ?? 'no-job',
    recoveryPointName: points[0]?.name ?? 'no-point',
    operation: 'testFailover',
    action: 'refreshProvider',
    name: 'default',
    path: `${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.RecoveryServices/vaults/${p.vault}/replicationMigrationItems`,
  };
  real = (param) => values[param] ?? 'fuzz-absent';
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

/** The vault's jobs, once none is still running (initial replication finishes after the item is Protected). */
async function settledJobs(vault: ProtectionVault): Promise<ReplicationJob[]> {
  for (const deadline = Date.now() + 60_000; ; ) {
    const jobs: ReplicationJob[] = [];
    for await (const job of vault.sr.replicationJobs.list(vault.vault, vault.rg)) jobs.push(job);
    if (jobs.every((job) => ['Succeeded', 'Failed', 'Cancelled'].includes(job.properties?.state ?? ''))) return jobs;
    if (Date.now() > deadline) throw new Error(`jobs still running: ${JSON.stringify(jobs.map((job) => [job.name, job.properties?.state]))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The rows of `after` that differ from `before`, by kind. */
function changes(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  return Object.keys({ ...before, ...after }).flatMap((kind) => {
    const was = new Set(before[kind]);
    const is = new Set(after[kind]);
    return [...[...was].filter((row) => !is.has(row)).map((row) => `${kind} - ${row}`), ...[...is].filter((row) => !was.has(row)).map((row) => `${kind} + ${row}`)];
  });
}

test('hostile requests over every ARM route: no 5xx, every 4xx in the ARM envelope, nothing changed', async () => {
  console.log(`fuzzArm: seed ${SEED}, ${RUNS} runs (replay with FUZZ_SEED=${SEED})`);
  const before = await vaultSnapshot(service, p);
  const quickBefore = await quickSnapshot(service, p);
  const started = Date.now();
  const tally = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(hostileRequest(routes).filter(guaranteedRefusal), async (request) => {
      const target = requestTarget(request, real);
      const response = await sendHostile(service, target, request);
      tally.set(response.status, (tally.get(response.status) ?? 0) + 1);
      const what = `${describeRequest(request, target)} → ${response.status} ${response.text.slice(0, 300)}`;
      expect(response.status, what).toBeLessThan(500);
      const underArm = new URL(service.baseUrl + target).pathname.toLowerCase().startsWith('/api/subscriptions/');
      if (response.status >= 400 && underArm) {
        let json: unknown;
        try {
          json = JSON.parse(response.text);
        } catch {
          json = undefined;
        }
        expect(isArmErrorEnvelope(json), `no ARM error envelope: ${what}`).toBe(true);
      }
      // A command that changed the vault is named by the request that made it.
      if (request.method !== 'GET') expect(changes(quickBefore, await quickSnapshot(service, p)), `state changed: ${what}`).toEqual([]);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  console.log(`fuzzArm: ${RUNS} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries([...tally].sort(([a], [b]) => a - b)))}`);
  expect(changes(before, await vaultSnapshot(service, p))).toEqual([]);
}, 180_000);
