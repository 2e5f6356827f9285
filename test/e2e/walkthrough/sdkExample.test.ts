/**
 * The operator walkthrough with the official SDK, examples/protectAndFailOver.ts, run as a newcomer
 * runs it — `node dist/examples/protectAndFailOver.js --endpoint … --key …` in a child process —
 * against the local host on this file's Azurite: it exits 0 having printed every step, and the
 * official client then finds the item gone, the VM unprotected and every job it ran Succeeded.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@azure/arm-recoveryservices-siterecovery';
import { createClients, startService, type Service } from '../../support/clients.js';
import { runScript } from './runScript.js';

const STEPS = [
  'Resource group',
  'Vault',
  'Hyper-V site',
  'Recovery site',
  'Replication policy',
  'Container mapping',
  'Registration key',
  'Add VM (site CLI)',
  'Protectable item',
  'Enable protection',
  'Initial replication',
  'Test failover',
  'Test failover cleanup',
  'Planned failover',
  'Commit',
  'Re-protect',
  'Failback',
  'Commit failback',
  'Disable protection',
];

describe('examples/protectAndFailOver', () => {
  let service: Service;

  beforeAll(async () => {
    service = await startService();
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('protects a VM, drills, fails over, re-protects, fails back and disables protection, one line per step; every job it ran succeeded', async () => {
    const subscription = randomUUID();
    const names = { rg: 'walkthrough-rg', vault: `vault-${subscription.slice(0, 8)}`, site: 'hv-site', recovery: 'dr-site', policy: 'quick', vm: 'walk-01' };
    // The endpoint as a flag, the key from SR_KEY, the site's storage from AzureWebJobsStorage: as the example's header describes.
    const run = await runScript(
      'examples/protectAndFailOver.js',
      ['--endpoint', service.baseUrl, '--subscription', subscription, '--resource-group', names.rg, '--vault', names.vault, '--site', names.site, '--recovery-site', names.recovery, '--policy', names.policy, '--vm', names.vm],
      { SR_KEY: service.functionKey, AzureWebJobsStorage: service.connectionString },
    );
    const report = `exit ${run.code}\n${run.stdout}\n${run.stderr}\n${service.output().slice(-3000)}`;
    expect(run.code, report).toBe(0);
    expect(run.stderr, report).toBe('');

    // One line per step, numbered, in order, each with its duration; then the total.
    const steps = run.lines.filter((line) => /^\[\s*\d+\/\d+\]/.test(line));
    expect(steps.map((line) => /^\[\s*(\d+)\/19\] (.+?)\s{2,}/.exec(line)?.slice(1)), report).toEqual(STEPS.map((title, i) => [String(i + 1), title]));
    expect(steps.every((line) => /\(\d+\.\d s\)$/.test(line)), report).toBe(true);
    const line = (title: string): string => steps[STEPS.indexOf(title)]!;
    expect(line('Resource group')).toContain(`${names.rg} created`);
    expect(line('Container mapping')).toContain(`${names.site}-container → ${names.recovery}-container with ${names.policy} (Paired)`);
    expect(line('Add VM (site CLI)')).toContain(`${names.vm} added on ${names.site} with a 16MiB disk`);
    expect(line('Protectable item')).toContain('(Unprotected)');
    expect(line('Initial replication')).toContain('Protected, health Normal');
    expect(line('Test failover')).toContain('WaitingForCompletion');
    expect(line('Test failover cleanup')).toContain('MarkedForDeletion');
    expect(line('Planned failover')).toMatch(/ PlannedFailoverCommitRequired( \("[^"]+"\))?, active location Recovery /);
    expect(line('Commit')).toMatch(/ PlannedFailoverStatesBegin \("Planned failover committed"\), active location Recovery /);
    expect(line('Re-protect')).toMatch(/ Protected, active location Recovery, replicating recovery → primary /);
    expect(line('Failback')).toMatch(/ PlannedFailoverCommitRequired( \("[^"]+"\))?, active location Primary /);
    expect(line('Commit failback')).toMatch(/ Protected, active location Primary, replicating primary → recovery again /);
    expect(line('Disable protection')).toContain(`item ${names.vm} removed; the VM is Unprotected`);
    expect(run.lines.at(-1)).toMatch(/^Done in \d+\.\d s\.$/);

    // Afterwards, through the official client: the item is gone, the VM is unprotected at the site.
    const { siteRecovery: sr } = createClients(service.baseUrl, service.functionKey, subscription);
    const container = `${names.site}-container`;
    await expect(sr.replicationProtectedItems.get(names.vault, names.rg, names.site, container, names.vm)).rejects.toMatchObject({ statusCode: 404 });
    const items = [];
    for await (const item of sr.replicationProtectedItems.list(names.vault, names.rg)) items.push(item);
    expect(items).toEqual([]);
    const protectable = [];
    for await (const vm of sr.replicationProtectableItems.listByReplicationProtectionContainers(names.vault, names.rg, names.site, container)) protectable.push(vm);
    expect(protectable.map((vm) => [vm.properties?.friendlyName, vm.properties?.protectionStatus])).toEqual([[names.vm, 'Unprotected']]);

    // Every job it ran is terminal and Succeeded: one per command, and initial replication's own.
    const jobs: Job[] = [];
    for await (const job of sr.replicationJobs.list(names.vault, names.rg)) jobs.push(job);
    const described = jobs.map((job) => `${job.properties?.scenarioName} ${job.properties?.targetObjectName}: ${job.properties?.state}`).join('\n');
    expect(jobs.every((job) => job.properties?.state === 'Succeeded'), described).toBe(true);
    const count = (scenario: string): number => jobs.filter((job) => job.properties?.scenarioName === scenario).length;
    const scenarios = ['CreateSite', 'AddProtectionProfile', 'AssociateProtectionProfile', 'EnableDr', 'IrCompletion', 'TestFailover', 'TestFailoverCleanup', 'PlannedFailover', 'CommitFailover', 'ReverseReplication', 'DisableDr'];
    expect(Object.fromEntries(scenarios.map((scenario) => [scenario, count(scenario)])), described).toEqual({
      CreateSite: 2,
      AddProtectionProfile: 1,
      AssociateProtectionProfile: 1,
      EnableDr: 1,
      IrCompletion: 1,
      TestFailover: 1,
      TestFailoverCleanup: 1,
      PlannedFailover: 2,
      CommitFailover: 2,
      ReverseReplication: 1,
      DisableDr: 1,
    });
    const itemJobs = jobs.filter((job) => scenarios.slice(3).includes(job.properties?.scenarioName ?? ''));
    expect(new Set(itemJobs.map((job) => job.properties?.targetObjectName))).toEqual(new Set([names.vm]));
  }, 150_000);
});
