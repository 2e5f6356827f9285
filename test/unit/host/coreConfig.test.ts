/** host.json, local.settings.json and setting resolution as the local host reads them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHostConfig } from '../../../host/core/hostConfig.js';
import { loadLocalSettings } from '../../../host/core/loadLocalSettings.js';
import { parseTimeSpan } from '../../../host/core/parseTimeSpan.js';
import { selectFunctions } from '../../../host/core/selectFunctions.js';
import { computeHostId, resolveConnection, resolveSetting } from '../../../host/core/settings.js';
import type { LoadedApp } from '../../../host/core/loadApp.js';
import type { RegisteredFunction } from '../../../host/core/types.js';

const dirs: string[] = [];
function appWith(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostcfg-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
  return dir;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('host configuration', () => {
  it('applies host.json defaults and caps queue polling at 2 s in Development', () => {
    const empty = loadHostConfig(appWith({}), {});
    expect(empty).toMatchObject({ routePrefix: 'api', functionTimeoutMs: 30 * 60_000, logLevel: {} });
    expect(empty.queues).toMatchObject({ batchSize: 16, maxDequeueCount: 5, visibilityTimeoutMs: 0, maxPollingIntervalMs: 60_000, messageEncoding: 'base64' });
    expect(empty.queues.newBatchThreshold).toBe(8 * os.availableParallelism());
    const dir = appWith({
      'host.json': {
        functionTimeout: '-1',
        extensions: { http: { routePrefix: '' }, queues: { batchSize: 4, maxPollingInterval: '00:00:30', messageEncoding: 'none', visibilityTimeout: '00:00:05' } },
      },
    });
    const production = loadHostConfig(dir, {});
    expect(production).toMatchObject({ routePrefix: '', functionTimeoutMs: null });
    expect(production.queues).toMatchObject({ batchSize: 4, newBatchThreshold: 2 * os.availableParallelism(), maxPollingIntervalMs: 30_000, messageEncoding: 'none', visibilityTimeoutMs: 5_000 });
    expect(loadHostConfig(dir, { AZURE_FUNCTIONS_ENVIRONMENT: 'Development' }).queues.maxPollingIntervalMs).toBe(2_000);
    expect(() => loadHostConfig(appWith({ 'host.json': { extensions: { queues: { batchSize: 33 } } } }), {})).toThrow(RangeError);
  });

  it('takes log levels from app settings over host.json', () => {
    const dir = appWith({ 'host.json': { logging: { logLevel: { default: 'Information', 'Host.Results': 'Warning' } } } });
    const settings = { AzureFunctionsJobHost__logging__logLevel__default: 'Debug', AZUREFUNCTIONSJOBHOST__LOGGING__LOGLEVEL__Function__runJob: 'Trace', AzureFunctionsJobHost__logging__other: 'x' };
    expect(loadHostConfig(dir, settings).logLevel).toEqual({ default: 'Debug', 'Host.Results': 'Warning', 'Function.runJob': 'Trace' });
  });

  it('runs only the functions host.json lists and none that a setting disables', () => {
    const fn = (name: string): RegisteredFunction => ({ id: name, name, metadata: { name, bindings: {} }, callback: () => undefined, trigger: { name: 't', binding: {} } });
    const app: LoadedApp = { appDir: '.', functions: ['a', 'b', 'c'].map(fn), invoke: () => Promise.reject(new Error('unused')), terminate: async () => undefined };
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    const listed = loadHostConfig(appWith({ 'host.json': { functions: ['A', 'c'] } }), {});
    expect(listed.functions).toEqual(['A', 'c']);
    expect(selectFunctions(app, listed, quiet, { 'AzureWebJobs.c.Disabled': 'True' }).functions.map((f) => f.name)).toEqual(['a']);
    expect(selectFunctions(app, loadHostConfig(appWith({}), {}), quiet, {}).functions).toHaveLength(3);
  });

  it('parses TimeSpans', () => {
    expect(parseTimeSpan('00:00:01')).toBe(1000);
    expect(parseTimeSpan('1.02:03:04.5')).toBe(((26 * 60 + 3) * 60 + 4) * 1000 + 500);
    expect(() => parseTimeSpan('5 minutes')).toThrow(RangeError);
  });

  it('loads local.settings.json Values without overriding the environment and refuses encrypted files', () => {
    const env: NodeJS.ProcessEnv = { KEEP: 'env' };
    const host = loadLocalSettings(appWith({ 'local.settings.json': { IsEncrypted: false, Values: { KEEP: 'file', ADDED: 'file' }, Host: { LocalHttpPort: 7123, CORS: '*' } } }), env);
    expect(env).toMatchObject({ KEEP: 'env', ADDED: 'file' });
    expect(host).toEqual({ LocalHttpPort: 7123, CORS: '*' });
    expect(() => loadLocalSettings(appWith({ 'local.settings.json': { IsEncrypted: true, Values: {} } }), {})).toThrow(/encrypted/);
  });

  it('resolves %settings%, connections and the host id', () => {
    expect(resolveSetting('%QUEUE%-items', { QUEUE: 'jobs' })).toBe('jobs-items');
    expect(() => resolveSetting('%MISSING%', {})).toThrow(/MISSING/);
    expect(resolveConnection('', { AzureWebJobsStorage: 'a' })).toBe('a');
    expect(resolveConnection('Other', { Other: 'b' })).toBe('b');
    expect(resolveConnection('Other', { AzureWebJobsOther: 'c', Other: 'b' })).toBe('c');
    expect(resolveConnection(undefined, { AzureWebJobsStorage: 'UseDevelopmentStorage=true', AZURITE_QUEUE_PORT: '12345' })).toContain('QueueEndpoint=http://127.0.0.1:12345/');
    expect(() => resolveConnection('Nope', {})).toThrow(/Nope/);
    const id = computeHostId('/some/app', {});
    expect(id).toMatch(/^[a-z0-9]+-\d+$|^[a-z0-9-]{1,32}$/);
    expect(id.length).toBeLessThanOrEqual(32);
    expect(computeHostId('/some/app', {})).toBe(id);
    expect(computeHostId('/other/app', {})).not.toBe(id);
    expect(computeHostId('/some/app', { AzureFunctionsJobHost__id: 'MyHost' })).toBe('myhost');
  });
});
