/**
 * The `@azure/functions-core` module and app loading, driven by the real `@azure/functions`
 * library: registration metadata, duplicate and late registration, hooks, functionTimeout and
 * entry-file errors.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreModule } from '../../../host/core/coreModule.js';
import { FunctionTimeoutError } from '../../../host/core/createInvoke.js';
import { loadHostConfig } from '../../../host/core/hostConfig.js';
import { loadApp, type LoadedApp } from '../../../host/core/loadApp.js';
import type { HostLog } from '../../../host/core/log.js';
import type { RegisteredFunction, RpcTypedData } from '../../../host/core/types.js';
import { hostApp, repoRoot, startHost } from '../../support/startHost.js';
import { testStorage } from '../../support/storage.js';

const apps = path.join(repoRoot, 'test/fixtures/hostapps');
const lines: string[] = [];
const log: HostLog = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m), debug: () => undefined };

async function load(dir: string): Promise<LoadedApp> {
  process.env.AzureWebJobsStorage = testStorage();
  return loadApp(dir, { hostConfig: loadHostConfig(dir, { AZURE_FUNCTIONS_ENVIRONMENT: 'Development' }), log });
}

function byName(app: LoadedApp, name: string): RegisteredFunction {
  const fn = app.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn;
}

async function callHttp(app: LoadedApp, name: string, url = `http://127.0.0.1/api/${name}`): Promise<{ status: string; text: string; json: unknown; id: string }> {
  const fn = byName(app, name);
  const { invocationId, response } = await app.invoke(fn, {
    inputData: [{ name: fn.trigger.name, data: { http: { method: 'GET', url, nullableHeaders: {}, nullableQuery: {}, nullableParams: {} } } }],
    triggerMetadata: {},
  });
  const http = (response.returnValue as RpcTypedData).http!;
  const text = Buffer.from(http.body!.bytes!).toString('utf8');
  return { status: String(http.statusCode), text, json: text.startsWith('{') ? JSON.parse(text) : undefined, id: invocationId };
}

describe('core module and app loading', () => {
  let app: LoadedApp;

  it('loads the fixture app and registers the metadata the library produces', async () => {
    app = await load(hostApp);
    const echo = byName(app, 'httpEcho');
    expect(echo.id).toBe('httpEcho');
    expect(echo.trigger.binding).toMatchObject({ type: 'httpTrigger', direction: 'in', authLevel: 'anonymous', route: 'echo/{*rest}', methods: ['GET', 'POST', 'PUT', 'DELETE'] });
    expect(echo.metadata.bindings.$return).toMatchObject({ type: 'http', direction: 'out' });
    expect(echo.trigger.name).toMatch(/^httpTrigger[0-9a-f]{10}$/);
    const queue = byName(app, 'adminQueue');
    expect(queue.trigger.binding).toMatchObject({ type: 'queueTrigger', queueName: 'hostapp-admin-queue', connection: 'AzureWebJobsStorage' });
    const timer = byName(app, 'adminTimer');
    expect(timer.trigger.binding).toMatchObject({ type: 'timerTrigger', schedule: '0 0 0 1 1 *' });
    const out = Object.values(byName(app, 'httpQueueOutput').metadata.bindings).find((b) => b.type === 'queue');
    expect(out).toMatchObject({ direction: 'out', queueName: 'hostapp-http-out' });
  });

  it('exposes the worker API on require and refuses registration after start-up', () => {
    const core = createRequire(import.meta.url)('@azure/functions-core') as typeof coreModule;
    expect(core).toBe(coreModule);
    expect(typeof core.version).toBe('string');
    expect(typeof core.hostVersion).toBe('string');
    expect(core.getProgrammingModel().name).toBe('@azure/functions');
    expect(() => core.registerFunction({ name: 'late', bindings: { t: { type: 'httpTrigger', direction: 'in' } } }, () => undefined)).toThrow(/during app startup/);
    expect(() => core.registerHook('onSomething', () => undefined)).toThrow(RangeError);
    const disposable = core.registerHook('preInvocation', () => undefined);
    expect(disposable).toBeInstanceOf(core.Disposable);
    disposable.dispose();
  });

  it('runs invocations with GUID ids and hooks in order, after the appStart hook', async () => {
    const first = await callHttp(app, 'hookedEcho');
    const second = await callHttp(app, 'hookedEcho');
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.id).not.toBe(first.id);
    expect(first.json).toEqual({ url: 'http://127.0.0.1/api/hookedEcho', order: ['pre1', 'pre2', 'post1'], appStarted: true });
  });

  it('lets preInvocation hooks replace inputs and handler, and postInvocation hooks replace error and result', async () => {
    expect((await callHttp(app, 'hookedReplace')).json).toMatchObject({ input: { replacedInput: true }, order: ['pre1', 'pre2', 'post1'] });
    const recovered = await callHttp(app, 'hookedRecover');
    expect(recovered.status).toBe('200');
    expect(recovered.json).toEqual({ recovered: 'handler failed', order: ['pre1', 'pre2', 'post1'] });
  });

  it('rejects an invocation whose handler throws', async () => {
    const fn = byName(app, 'throws');
    await expect(
      app.invoke(fn, { inputData: [{ name: fn.trigger.name, data: { http: { method: 'GET', url: 'http://127.0.0.1/api/throws' } } }], triggerMetadata: {} }),
    ).rejects.toThrow('boom');
  });

  it('rejects an invocation that exceeds functionTimeout (CommonJS app)', async () => {
    const slowApp = await load(path.join(apps, 'timeout'));
    expect((await callHttp(slowApp, 'quick')).text).toBe('quick');
    await expect(callHttp(slowApp, 'slow')).rejects.toBeInstanceOf(FunctionTimeoutError);
  });

  it('fails loading when a function name is registered twice', async () => {
    await expect(load(path.join(apps, 'duplicate'))).rejects.toThrow(/already been registered/);
  });

  it('aborts host start-up on an entry-file error', async () => {
    await expect(startHost({ appDir: path.join(apps, 'entryError'), connectionString: testStorage() })).rejects.toThrow(
      /exited with code 1[\s\S]*entry file exploded/,
    );
  });

  it('refuses an app that enables HTTP streaming at start-up', async () => {
    await expect(startHost({ appDir: path.join(apps, 'httpStream'), connectionString: testStorage() })).rejects.toThrow(
      /exited with code 1[\s\S]*HTTP streaming/,
    );
  });
});
