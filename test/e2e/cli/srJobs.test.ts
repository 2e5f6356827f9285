/**
 * `sr` following jobs: a failed job's exit code and its error with cause and recommended action,
 * Ctrl-C that stops the watching and not the job, progress bars on a terminal showing initial
 * replication's percent advance, and shell completion from the command tree.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { startService, type Service } from '../../support/clients.js';
import { plainText, site, srOnTerminal, srRunner, type SrRunner } from './runSr.js';

const CONTAINER = ['--fabric-name', 'hyperv-site', '--protection-container', 'hyperv-site-container'];

describe('sr following jobs', () => {
  let service: Service;
  let sr: SrRunner;
  let vaultId: string;
  let registrationKey: string;

  const ok = async (args: string[]) => {
    const result = await sr(args);
    expect(result.code, `sr ${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const addVm = async (name: string, disk: string, fill: string) => {
    const added = await site(service, ['add-vm', '--vault-id', vaultId, '--fabric', 'hyperv-site', '--name', name, '--disk', disk, '--fill', fill, '--service', service.baseUrl.replace(/\/api$/, ''), '--registration-key', registrationKey]);
    expect(added.code, added.stderr).toBe(0);
  };
  const runbookPlan = (name: string, timeout: string) =>
    JSON.stringify([
      {
        groupType: 'Boot',
        replicationProtectedItems: [{ id: `${vaultId}/replicationFabrics/hyperv-site/replicationProtectionContainers/hyperv-site-container/replicationProtectedItems/web-01` }],
        endGroupActions: [{ actionName: `${name} runbook`, failoverTypes: ['TestFailover'], failoverDirections: ['PrimaryToRecovery'], customDetails: { instanceType: 'AutomationRunbookActionDetails', runbookId: `${name}-runbook`, timeout, fabricLocation: 'Recovery' } }],
      },
    ]);

  beforeAll(async () => {
    service = await startService();
    sr = srRunner(service, 'jobs-rg', 'jobs-vault');
    await ok(['group', 'create', '--name', 'jobs-rg']);
    await ok(['vault', 'create']);
    await ok(['fabric', 'create', '--name', 'hyperv-site']);
    await ok(['fabric', 'create', '--name', 'recovery-site', '--type', 'Azure']);
    await ok(['policy', 'create', '--name', 'fast', '--replication-interval', '5']);
    await ok(['protection-container-mapping', 'create', ...CONTAINER, '--name', 'm', '--policy', 'fast']);
    ({ vaultId, registrationKey } = (await ok(['vault', 'registration-key'])).json<{ vaultId: string; registrationKey: string }>());
    await addVm('web-01', '4MiB', 'random:0.5');
    await ok(['protected-item', 'create', ...CONTAINER, '--name', 'web-01', '--policy', 'fast']);
  });
  afterAll(async () => {
    await service?.stop();
  });

  it("exits 1 with a failed job's error, its possible causes and recommended action", async () => {
    await ok(['recovery-plan', 'create', '--name', 'nobody-answers', '--primary-fabric', 'hyperv-site', '--recovery-fabric', 'recovery-site', '--groups', runbookPlan('unanswered', 'PT2S')]);
    const failed = await sr(['recovery-plan', 'test-failover', '--name', 'nobody-answers']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Job '.+' \([\w-]+\) Failed/);
    expect(failed.stderr).toMatch(/RunbookTimedOut: /);
    expect(failed.stderr).toMatch(/Recommended action: /);
    expect(failed.stdout).toBe('');
    const jobs = (await ok(['job', 'list', '--state', 'Failed'])).json<Job[]>();
    expect(jobs.map((job) => job.properties?.errors?.[0]?.serviceErrorDetails?.code)).toEqual(['RunbookTimedOut']);
    // `job wait` on it says the same.
    const waited = await sr(['job', 'wait', '--name', jobs[0]!.name!]);
    expect([waited.code, /RunbookTimedOut/.test(waited.stderr)]).toEqual([1, true]);
  });

  it('stops watching on Ctrl-C, leaves the job running and says how to watch again', async () => {
    // The failed drill's test VM goes first.
    await ok(['recovery-plan', 'test-failover-cleanup', '--name', 'nobody-answers']);
    await ok(['recovery-plan', 'create', '--name', 'slow-runbook', '--primary-fabric', 'hyperv-site', '--recovery-fabric', 'recovery-site', '--groups', runbookPlan('slow', 'PT60S')]);
    const child = sr.spawn(['recovery-plan', 'test-failover', '--name', 'slow-runbook']);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const deadline = Date.now() + 30_000;
    while (!/Group 1: Start: InProgress/.test(stderr) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const jobName = /sr job wait --name ([\w-]+)/.exec(stderr)?.[1];
    expect(jobName, stderr).toBeDefined();
    expect((await ok(['job', 'show', '--name', jobName!])).json<Job>().properties?.state).toBe('InProgress');
  });

  it('shows a progress bar per task on a terminal, the percent of initial replication advancing', async () => {
    await addVm('big-01', '256MiB', 'random:1');
    const shown = await srOnTerminal(sr, ['protected-item', 'create', ...CONTAINER, '--name', 'big-01', '--policy', 'fast']);
    const screen = plainText(shown.stdout);
    expect(screen, screen.slice(-3000)).toMatch(/COMMAND_EXIT_CODE="0"|big-01\s+Protected/);
    const percents = [...screen.matchAll(/(\d+)% InProgress \((\d+)%\) \| Initial replication/g)].map((match) => Number(match[1]));
    const distinct = [...new Set(percents)];
    expect(distinct.some((percent) => percent > 0 && percent < 100), screen.slice(-3000)).toBe(true);
    expect(distinct).toEqual([...distinct].sort((a, b) => a - b));
    expect(screen).toMatch(/100% Succeeded .*\| Initial replication/);
    expect(screen).toMatch(/\u2588/);
    const item = (await ok(['protected-item', 'show', ...CONTAINER, '--name', 'big-01'])).json<ReplicationProtectedItem>();
    expect(item.properties?.protectionState).toBe('Protected');
  });

  it('completes commands, flags and flag choices in bash', async () => {
    const script = (await ok(['completion', 'bash'])).stdout;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sr-completion-')), 'sr.bash');
    fs.writeFileSync(file, script);
    const complete = async (words: string[]): Promise<string[]> => {
      const line = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _sr_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const { stdout } = await promisify(execFile)('bash', ['-c', line]);
      return stdout.split('\n').filter(Boolean);
    };
    expect(await complete(['sr', 'prot'])).toEqual(['protection-container', 'protection-container-mapping', 'protectable-item', 'protected-item']);
    expect(await complete(['sr', 'protected-item', 'test'])).toEqual(['test-failover', 'test-failover-cleanup']);
    expect(await complete(['sr', 'protected-item', 'planned-failover', '--dir'])).toEqual(['--direction']);
    expect(await complete(['sr', 'protected-item', 'planned-failover', '--direction', ''])).toEqual(['PrimaryToRecovery', 'RecoveryToPrimary']);
    expect(await complete(['sr', '--output', 'y'])).toEqual(['yaml']);
    expect((await ok(['completion', 'zsh'])).stdout).toMatch(/bashcompinit/);
    const wrong = await sr(['completion', 'fish']);
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringMatching(/fish/)]);
  });
});
