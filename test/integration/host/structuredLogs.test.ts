/**
 * The app's logs on the local host with stdout not a terminal: after the `Functions:` banner and
 * `Host started` (plain text), every line is one JSON object with the host's fields, and the lines
 * of a job's steps carry its jobId and the activityId of the request that started it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, repoRoot, type RunningHost } from '../../support/startHost.js';
import { testStorage } from '../../support/storage.js';

const API = '2023-06-01';

async function call(host: RunningHost, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${host.url}/api${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function poll<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The output's lines after `Host started` (stdout) and all of stderr. */
function logLines(host: RunningHost): string[] {
  const out = host.stdout();
  const started = out.indexOf('Host started\n');
  const after = started < 0 ? '' : out.slice(started + 'Host started\n'.length);
  return [...after.split('\n'), ...host.stderr().split('\n')].filter((line) => line !== '');
}

function parsed(host: RunningHost): Array<Record<string, unknown>> {
  return logLines(host).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('structured logs of the local host', () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost({ appDir: repoRoot, connectionString: testStorage(), env: { LOCAL_HOST_LOG_FORMAT: '' } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('prints one JSON object per line after the banner, and a job step logs its jobId and activityId', async () => {
    const sub = randomUUID();
    const vaultPath = `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/vault`;
    expect((await call(host, 'PUT', `/subscriptions/${sub}/resourcegroups/rg?api-version=2021-04-01`, { location: 'local' })).status).toBe(201);
    const vault = await call(host, 'PUT', `${vaultPath}?api-version=2023-04-01`, { location: 'local', sku: { name: 'Standard' } });
    expect(vault.status).toBeLessThan(300);

    const correlationId = randomUUID();
    const clientRequestId = randomUUID();
    const fabric = await call(host, 'PUT', `${vaultPath}/replicationFabrics/site?api-version=${API}`, { properties: { customDetails: { instanceType: 'HyperVSite' } } }, {
      'x-ms-correlation-request-id': correlationId,
      'x-ms-client-request-id': clientRequestId,
    });
    expect(fabric.status).toBe(202);
    const jobId = /replicationOperationStatus\/([^/?]+)/.exec(fabric.headers.get('azure-asyncoperation') ?? '')?.[1];
    expect(jobId).toBeDefined();

    const stepLines = await poll(async () => {
      const lines = parsed(host).filter((line) => line.jobId === jobId && line.function === 'runJob');
      const ended = lines.some((line) => String(line.message).includes('succeeded'));
      return ended && /Executed 'Functions\.runJob' \(Succeeded/.test(host.stdout()) ? lines : undefined;
    }, 'the job to log its end');

    for (const line of parsed(host)) {
      expect(line, JSON.stringify(line)).toMatchObject({ time: expect.any(String), level: expect.any(String), message: expect.any(String), category: expect.any(String) });
      expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
      if (String(line.category).startsWith('Function.')) expect(line).toMatchObject({ function: expect.any(String), invocationId: expect.any(String) });
    }
    for (const line of stepLines) {
      expect(line).toMatchObject({ level: 'information', category: 'Function.runJob.User', jobId, activityId: correlationId, vault: 'vault', invocationId: expect.any(String) });
    }
    // The host's own invocation lines keep their text, so a search over the raw output still finds them.
    const raw = host.stdout();
    expect(raw).toMatch(/Executing 'Functions\.runJob' \(Id=[0-9a-f-]+\)/);
    expect(raw).toMatch(/Executed 'Functions\.runJob' \(Succeeded, Id=[0-9a-f-]+, Duration=\d+ms\)/);
    const executing = parsed(host).find((line) => String(line.message).startsWith("Executing 'Functions.runJob'"));
    expect(executing).toMatchObject({ level: 'information', category: 'Function.runJob', function: 'runJob', invocationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(String(executing?.message)).toContain(`Id=${String(executing?.invocationId)}`);
  });
});
