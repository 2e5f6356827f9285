/**
 * The README walkthrough with `sr`, as an operator pastes it: prepare infrastructure, add a VM on
 * the local site, protect it, drill, fail over, commit, re-protect, fail back, commit, disable —
 * every step a subprocess, its exit code and JSON output asserted. Then output formats, --query,
 * config defaults and usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicationProtectedItem, Job, ProtectableItem } from '@azure/arm-recoveryservices-siterecovery';
import { startService, type Service } from '../../support/clients.js';
import { ESC, site, srRunner, type SrRunner } from './runSr.js';

const ITEM = ['--fabric-name', 'hyperv-site', '--protection-container', 'hyperv-site-container', '--name', 'web-01'];

describe('sr, the operator CLI', () => {
  let service: Service;
  let sr: SrRunner;

  beforeAll(async () => {
    service = await startService();
    sr = srRunner(service, 'dr-rg', 'dr-vault');
  });
  afterAll(async () => {
    await service?.stop();
  });

  const ok = async (args: string[]) => {
    const result = await sr(args);
    expect(result.code, `sr ${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const item = async (args: string[]): Promise<NonNullable<ReplicationProtectedItem['properties']>> => (await ok(args)).json<ReplicationProtectedItem>().properties!;

  it('walks an operator through protect, drill, failover, re-protect, failback and disable', async () => {
    await ok(['group', 'create', '--name', 'dr-rg']);
    expect((await ok(['vault', 'create'])).json<{ name: string }>().name).toBe('dr-vault');
    await ok(['fabric', 'create', '--name', 'hyperv-site', '--type', 'HyperVSite']);
    await ok(['fabric', 'create', '--name', 'recovery-site', '--type', 'Azure']);
    const containers = (await ok(['protection-container', 'list'])).json<Array<{ name: string }>>();
    expect(containers.map((c) => c.name).sort()).toEqual(['hyperv-site-container', 'recovery-site-container']);
    const policy = (await ok(['policy', 'create', '--name', 'five-seconds', '--replication-interval', '5', '--recovery-point-retention', '1'])).json<{ properties: { providerSpecificDetails: { replicationInterval: number } } }>();
    expect(policy.properties.providerSpecificDetails.replicationInterval).toBe(5);
    await ok(['protection-container-mapping', 'create', '--fabric-name', 'hyperv-site', '--protection-container', 'hyperv-site-container', '--name', 'to-recovery', '--policy', 'five-seconds']);
    const { vaultId, registrationKey } = (await ok(['vault', 'registration-key'])).json<{ vaultId: string; registrationKey: string }>();
    expect(vaultId).toBe('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dr-rg/providers/Microsoft.RecoveryServices/vaults/dr-vault');

    const added = await site(service, ['add-vm', '--vault-id', vaultId, '--fabric', 'hyperv-site', '--name', 'web-01', '--disk', '16MiB', '--disk', '8MiB', '--fill', 'random:0.5', '--service', service.baseUrl.replace(/\/api$/, ''), '--registration-key', registrationKey]);
    expect(added.code, added.stderr).toBe(0);
    const vms = (await ok(['protectable-item', 'list', '--fabric-name', 'hyperv-site', '--protection-container', 'hyperv-site-container'])).json<ProtectableItem[]>();
    expect(vms.map((vm) => vm.properties?.friendlyName)).toEqual(['web-01']);

    // Enable protection follows the enable job, then initial replication, to Protected; not a TTY: plain progress lines.
    const enabled = await ok(['protected-item', 'create', ...ITEM, '--policy', 'five-seconds']);
    expect(enabled.json<ReplicationProtectedItem>().properties?.protectionState).toBe('Protected');
    expect(enabled.stderr).toMatch(/Initial replication: Succeeded/);
    expect(enabled.stderr).not.toContain(`${ESC}[`);

    // A command the item's state does not allow: the service's 409, exit 1, nothing changed.
    const refused = await sr(['protected-item', 'test-failover-cleanup', ...ITEM]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ERROR: \(\w+\) .*TestFailover/m);

    expect((await item(['protected-item', 'test-failover', ...ITEM, '--recovery-point', 'latest-processed'])).allowedOperations).toContain('TestFailoverCleanup');
    expect((await item(['protected-item', 'test-failover-cleanup', ...ITEM, '--comments', 'drill passed'])).protectionState).toBe('Protected');
    const failedOver = await item(['protected-item', 'planned-failover', ...ITEM]);
    expect([failedOver.activeLocation, failedOver.protectionState]).toEqual(['Recovery', 'PlannedFailoverCommitRequired']);
    // ASR's name for a committed planned failover.
    expect((await item(['protected-item', 'commit', ...ITEM])).protectionStateDescription).toBe('Planned failover committed');
    const reprotected = await item(['protected-item', 'reprotect', ...ITEM]);
    expect([reprotected.activeLocation, reprotected.protectionState]).toEqual(['Recovery', 'Protected']);
    const failedBack = await item(['protected-item', 'failback', ...ITEM, '--data-sync-option', 'ForSynchronization']);
    expect(failedBack.activeLocation).toBe('Primary');
    await ok(['protected-item', 'commit', ...ITEM]);
    const points = (await ok(['recovery-point', 'list', ...ITEM])).json<Array<{ name: string }>>();
    expect(points.length).toBeGreaterThan(0);
    const point = (await ok(['recovery-point', 'show', ...ITEM, '--recovery-point', points[0]!.name])).json<{ name: string }>();
    expect(point.name).toBe(points[0]!.name);

    // Every job the walkthrough ran succeeded (a JMESPath query, as az has it).
    const notSucceeded = await ok(['job', 'list', '--query', "[?properties.state!='Succeeded'].name"]);
    expect(notSucceeded.json<string[]>()).toEqual([]);
    const testFailovers = (await ok(['job', 'list', '--operation', 'TestFailover'])).json<Job[]>();
    expect(testFailovers.map((job) => job.properties?.state)).toEqual(['Succeeded']);

    const disabled = await ok(['protected-item', 'disable', ...ITEM]);
    expect(disabled.stdout).toBe('');
    expect((await ok(['protected-item', 'list'])).json()).toEqual([]);
  });

  it('prints table, tsv and yaml, applies --query, and keeps defaults with sr config', async () => {
    const table = await ok(['fabric', 'list', '-o', 'table']);
    expect(table.stdout.split('\n').slice(0, 2)).toEqual([expect.stringMatching(/^Name\s+Type\s+Health$/), expect.stringMatching(/^----\s+----\s+------$/)]);
    expect(table.stdout).toMatch(/^hyperv-site\s+HyperVSite/m);
    const tsv = await ok(['fabric', 'list', '-o', 'tsv', '--query', 'sort([].name)']);
    expect(tsv.stdout).toBe('hyperv-site\nrecovery-site\n');
    const yaml = await ok(['policy', 'show', '--name', 'five-seconds', '-o', 'yaml', '--query', '{name: name, interval: properties.providerSpecificDetails.replicationInterval}']);
    expect(yaml.stdout).toBe('name: five-seconds\ninterval: 5\n');

    await ok(['config', 'set', 'vault', 'dr-vault']);
    const fromConfig = await sr(['vault', 'show', '--query', 'name'], { SR_VAULT: undefined });
    expect([fromConfig.code, fromConfig.json()]).toEqual([0, 'dr-vault']);
    await ok(['config', 'unset', 'vault']);
    const unset = await sr(['vault', 'show'], { SR_VAULT: undefined });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/--vault is not set/);
  });

  it('names the offending flag of a usage error and exits 2', async () => {
    const missing = await sr(['protected-item', 'test-failover', '--fabric-name', 'hyperv-site', '--name', 'web-01']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--protection-container <name>' not specified/);
    const badChoice = await sr(['protected-item', 'planned-failover', ...ITEM, '--direction', 'Sideways']);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toMatch(/--direction.*'Sideways' is invalid/);
    const badNumber = await sr(['policy', 'create', '--name', 'p', '--replication-interval', 'often']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/--replication-interval.*'often' is not a whole number/);
    const badQuery = await sr(['fabric', 'list', '--query', '[?name=='], {});
    expect(badQuery.code).toBe(2);
    const unknown = await sr(['protected-item', 'teleport']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'teleport'/);
    const key = await sr(['vault', 'show'], { SR_KEY: 'wrong' });
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/ERROR: .*401|Unauthorized/);
  });
});
