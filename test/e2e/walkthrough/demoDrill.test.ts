/**
 * `npm run demo -- --service <url> --drill`, run as `node dist/scripts/demo.js` in a child process
 * against the local host on this file's Azurite: it prepares the demo, protects its three VMs, runs a
 * test failover of web-01 and its cleanup, prints both jobs with their tasks, and exits 0 by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@azure/arm-recoveryservices-siterecovery';
import { createClients, startService, type Service } from '../../support/clients.js';
import { runScript } from './runScript.js';

describe('npm run demo -- --drill', () => {
  let service: Service;

  beforeAll(async () => {
    service = await startService();
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('protects the demo VMs, drills web-01 and prints the jobs, all Succeeded, then exits', async () => {
    const run = await runScript('scripts/demo.js', ['--service', service.baseUrl, '--drill'], { FUNCTIONS_FUNCTION_KEY: service.functionKey, AzureWebJobsStorage: service.connectionString });
    const report = `exit ${run.code}\n${run.stdout}\n${run.stderr}\n${service.output().slice(-3000)}`;
    expect(run.code, report).toBe(0);
    expect(run.lines[0]).toBe(`Service: ${service.baseUrl}`);
    expect(run.lines).toContain('Replication      all three VMs Protected');
    expect(run.lines).toContain('Drill            test failover of web-01, then its cleanup');

    // Each job on a line of its own, then its tasks indented: both jobs and every task Succeeded.
    const jobStart = run.lines.findIndex((line) => line.startsWith('Job '));
    const printed = run.lines.slice(jobStart, run.lines.indexOf('Workloads stopped. The vault, sites and protected items stay in place.'));
    const jobs: Array<{ line: string; tasks: string[] }> = [];
    for (const line of printed) {
      if (line.startsWith('Job ')) jobs.push({ line, tasks: [] });
      else if (line.startsWith('  - ')) jobs.at(-1)?.tasks.push(line);
    }
    expect(jobs.map((job) => job.line.replace(/ [0-9a-f-]{36}:/, ':')), report).toEqual(['Job Test failover (TestFailover): Succeeded', 'Job Test failover cleanup (TestFailoverCleanup): Succeeded']);
    expect(jobs.map((job) => job.tasks.length)).toEqual([4, 2]);
    expect(jobs.flatMap((job) => job.tasks).every((task) => task.endsWith(': Succeeded')), report).toBe(true);

    // The printed jobs are the vault's, and the drill left web-01 Protected with its test VM gone.
    const { siteRecovery: sr } = createClients(service.baseUrl, service.functionKey);
    const vaultJobs: Job[] = [];
    for await (const job of sr.replicationJobs.list('demo-vault', 'demo-rg', { filter: "targetObjectName eq 'web-01'" })) vaultJobs.push(job);
    for (const job of jobs) {
      const id = /([0-9a-f-]{36}):/.exec(job.line)?.[1];
      expect(vaultJobs.find((candidate) => candidate.name === id)?.properties?.state).toBe('Succeeded');
    }
    const item = await sr.replicationProtectedItems.get('demo-vault', 'demo-rg', 'hyperv-site', 'hyperv-site-container', 'web-01');
    expect(item.properties).toMatchObject({ protectionState: 'Protected', testFailoverState: 'MarkedForDeletion', activeLocation: 'Primary' });
  }, 150_000);
});
