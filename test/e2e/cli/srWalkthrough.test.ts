/**
 * README's "Protect a VM and fail it over" run as written — its shell block under `bash -e`, with
 * `npx sr` the built CLI and localhost:7071 this test's host — so a step that stops working fails
 * here: prepare infrastructure, add a VM on the local site, protect it, drill, fail over, commit,
 * re-protect, fail back, commit, disable. Then, on what it left, output formats, --query, config
 * defaults, refusals and usage errors.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { repoRoot, startService, type Service } from '../../support/clients.js';
import { ESC, srMain, srRunner, type SrRunner } from './runSr.js';

/** The first ```sh block under the heading `heading` of README.md. */
function shellBlockUnder(heading: string): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`\n${heading}\n`));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`README has no sh block under ${heading}`);
  return block;
}

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

  it("runs the README's walkthrough as pasted: every step and every job succeeds, the VM ends unprotected", async () => {
    const script = shellBlockUnder('## Protect a VM and fail it over')
      .replaceAll('npx sr ', `node ${srMain} `)
      .replaceAll('http://localhost:7071', service.baseUrl.replace(/\/api$/, ''));
    expect(script).not.toMatch(/npx sr|localhost:7071/);
    const env: NodeJS.ProcessEnv = { ...process.env, ...sr.env, HyperVSiteStorage: service.connectionString };
    delete env.SR_RESOURCE_GROUP;
    delete env.SR_VAULT;
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.once('close', (code) => resolve({ code, out }));
    });
    expect(result.code, result.out.slice(-4000)).toBe(0);
    expect(result.out).toMatch(/Job '.*' \([\w-]+\):\n[\s\S]*Initial replication: Succeeded/);
    for (const job of ['Test failover', 'Test failover cleanup', 'Planned failover', 'Commit', 'Reprotect', 'Failback']) expect(result.out).toContain(`Job '${job}'`);

    // The defaults it stored name the vault; the VM it protected is no longer protected.
    const items = await sr(['protected-item', 'list'], { SR_RESOURCE_GROUP: undefined, SR_VAULT: undefined });
    expect(items.stderr).toBe('');
    expect([items.code, items.json<ReplicationProtectedItem[]>()]).toEqual([0, []]);
    const vm = await sr(['protectable-item', 'show', '--fabric-name', 'hyperv-site', '--protection-container', 'hyperv-site-container', '--name', 'web-01'], { SR_RESOURCE_GROUP: undefined, SR_VAULT: undefined });
    expect(vm.json<{ properties: { protectionStatus: string } }>().properties.protectionStatus).toBe('Unprotected');

    // Every job it ran succeeded, one per step (a JMESPath query, as az has it); the progress it printed, not on a terminal, is plain lines.
    const jobs = (await ok(['job', 'list', '--query', 'reverse([].{operation: properties.friendlyName, state: properties.state})'])).json<Array<{ operation: string; state: string }>>();
    expect(jobs.filter((job) => job.state !== 'Succeeded')).toEqual([]);
    expect(jobs.map((job) => job.operation).slice(-10)).toEqual([
      'Enable replication', 'Finalize protection on the virtual machine', 'Test failover', 'Test failover cleanup', 'Planned failover', 'Commit', 'Reprotect', 'Failback', 'Commit', expect.stringMatching(/Disable/),
    ]);
    expect(result.out).not.toContain(`${ESC}[`);
    const testFailovers = (await ok(['job', 'list', '--operation', 'TestFailover'])).json<Job[]>();
    expect(testFailovers.map((job) => job.properties?.state)).toEqual(['Succeeded']);
  });

  it('prints table, tsv and yaml, applies --query, and keeps defaults with sr config', async () => {
    const table = await ok(['fabric', 'list', '-o', 'table']);
    expect(table.stdout.split('\n').slice(0, 2)).toEqual([expect.stringMatching(/^Name\s+Type\s+Health$/), expect.stringMatching(/^----\s+----\s+------$/)]);
    expect(table.stdout).toMatch(/^hyperv-site\s+HyperVSite/m);
    const tsv = await ok(['fabric', 'list', '-o', 'tsv', '--query', 'sort([].name)']);
    expect(tsv.stdout).toBe('hyperv-site\nrecovery-site\n');
    const yaml = await ok(['policy', 'show', '--name', 'every-30s', '-o', 'yaml', '--query', '{name: name, interval: properties.providerSpecificDetails.replicationInterval}']);
    expect(yaml.stdout).toBe('name: every-30s\ninterval: 30\n');

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
    // The service refuses: its ARM code and message, exit 1.
    const refused = await sr(['protected-item', 'test-failover-cleanup', ...ITEM]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ERROR: \(\w+\) .+/m);
    const key = await sr(['vault', 'show'], { SR_KEY: 'wrong' });
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/ERROR: .*401|Unauthorized/);
  });
});
