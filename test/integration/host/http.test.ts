/**
 * The HTTP side of the local host, through a real host process on the fixture app: routing,
 * request and response mapping, keys, the admin endpoint, queue outputs, logs and shutdown.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { QueueClient } from '@azure/storage-queue';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../../host/http/startHttpServer.js';
import { loadHostConfig } from '../../../host/core/hostConfig.js';
import { freePort } from '../../../scripts/azurite.js';
import { hostApp, startHost, type RunningHost } from '../../support/startHost.js';
import { testStorage } from '../../support/storage.js';

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function poll<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('local host HTTP', () => {
  let host: RunningHost;
  const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${host.url}${path}`, init);
  const routeOf = async (path: string, method = 'GET'): Promise<unknown> => {
    const res = await get(path, { method });
    return res.status === 200 ? res.json() : res.status;
  };

  beforeAll(async () => {
    host = await startHost({ appDir: hostApp, connectionString: testStorage() });
  });
  afterAll(() => host?.kill());

  it('lists the functions with their routes', () => {
    expect(host.stdout()).toContain(`itemById: [GET] ${host.url}/api/items/{id:int}`);
    expect(host.stdout()).toContain('adminQueue: queueTrigger');
  });

  it('routes by template: constraints, optional, default, catch-all, complex segments, case-insensitive, function-name order', async () => {
    expect(await routeOf('/api/items/42')).toEqual({ fn: 'itemById', params: { id: '42' } });
    expect(await routeOf('/api/items/abc')).toEqual({ fn: 'itemByName', params: { name: 'abc' } });
    expect(await routeOf('/api/items/4.5')).toBe(404);
    const guid = randomUUID();
    expect(await routeOf(`/api/things/${guid}`)).toEqual({ fn: 'thingByGuid', params: { id: guid } });
    expect(await routeOf('/api/things/not-a-guid')).toBe(404);
    expect(await routeOf('/api/opt/x')).toEqual({ fn: 'optionalTail', params: { a: 'x' } });
    expect(await routeOf('/api/opt/x/y')).toEqual({ fn: 'optionalTail', params: { a: 'x', b: 'y' } });
    expect(await routeOf('/api/def')).toEqual({ fn: 'defaultValue', params: { a: 'hello' } });
    expect(await routeOf('/api/def/world')).toEqual({ fn: 'defaultValue', params: { a: 'world' } });
    expect(await routeOf('/api/range/10')).toMatchObject({ fn: 'inRange' });
    expect(await routeOf('/api/range/11')).toBe(404);
    expect(await routeOf('/api/len/abc')).toMatchObject({ fn: 'fixedLength' });
    expect(await routeOf('/api/len/abcd')).toBe(404);
    expect(await routeOf('/api/rx/ab12')).toEqual({ fn: 'byRegex', params: { code: 'ab12' } });
    expect(await routeOf('/api/rx/abc12')).toBe(404);
    expect(await routeOf('/api/files/report.pdf')).toEqual({ fn: 'twoParts', params: { name: 'report', ext: 'pdf' } });
    expect(await routeOf('/API/mixedcase/TRUE')).toEqual({ fn: 'mixedCase', params: { x: 'TRUE' } });
    expect(await routeOf('/api/MixedCase/maybe')).toBe(404);
    expect(await routeOf('/api/num/9223372036854775807/-1.5e3')).toMatchObject({ fn: 'longOrDouble' });
    expect(await routeOf('/api/num/9223372036854775808/1')).toBe(404);
    expect(await routeOf('/api/mm/5/5/ab/ab')).toMatchObject({ fn: 'minMax' });
    expect(await routeOf('/api/mm/4/5/ab/ab')).toBe(404);
    expect(await routeOf('/api/mm/5/6/ab/ab')).toBe(404);
    expect(await routeOf('/api/mm/5/5/a/ab')).toBe(404);
    expect(await routeOf('/api/mm/5/5/ab/abc')).toBe(404);
    expect(await routeOf('/api/byName')).toEqual({ fn: 'byName', params: {} });
    expect(await routeOf('/api/%62y%4Eame')).toEqual({ fn: 'byName', params: {} });
    expect(await routeOf('/api/opt/a%2Fb')).toEqual({ fn: 'optionalTail', params: { a: 'a%2Fb' } });
    expect(await routeOf('/api/conflict/literal')).toEqual({ fn: 'aaLiteral', params: {} });
    expect(await routeOf('/api/conflict/other')).toEqual({ fn: 'zzParam', params: { x: 'other' } });
    expect(await routeOf('/items/42')).toBe(404);
    expect(await routeOf('/api/nothing/here')).toBe(404);
  });

  it('treats methods as a route constraint', async () => {
    expect(await routeOf('/api/only/post')).toBe(404);
    expect(await routeOf('/api/only/post', 'POST')).toMatchObject({ fn: 'postOnly' });
    expect(await routeOf('/api/default-methods', 'POST')).toMatchObject({ fn: 'defaultMethods' });
    expect(await routeOf('/api/default-methods', 'PATCH')).toBe(404);
  });

  it('passes method, url, repeated query keys, lower-cased headers, route values and the body', async () => {
    const res = await get('/api/echo/a/b%20c?x=1&x=2&y=3', { method: 'POST', headers: { 'X-Test': 'Hello', 'X-Empty': '', 'content-type': 'text/plain' }, body: 'payload' });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Record<string, any>;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe(`${host.url}/api/echo/a/b%20c?x=1&x=2&y=3`);
    expect(seen.query).toEqual({ x: '1,2', y: '3' });
    expect(seen.params).toEqual({ rest: 'a/b c' });
    expect(seen.headers['x-test']).toBe('Hello');
    expect(seen.headers).not.toHaveProperty('x-empty');
    expect(seen.body).toBe('payload');
    const bare = (await (await get('/api/echo')).json()) as Record<string, any>;
    expect(bare).toMatchObject({ method: 'GET', params: {}, query: {}, body: '' });
  });

  it('maps responses: undefined → 204, a throw → 500, status, headers, cookies and bytes', async () => {
    const none = await get('/api/noContent');
    expect(none.status).toBe(204);
    const failed = await get('/api/throws');
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('');
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7) % 256);
    const created = await get('/api/created', { method: 'POST', body: bytes });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-custom')).toBe('yes');
    expect(created.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly; SameSite=Lax']);
    expect(sha(new Uint8Array(await created.arrayBuffer()))).toBe(sha(bytes.slice().reverse()));
  });

  it('refuses a body above the cap with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${host.url}/api/echo/big`, { method: 'POST', headers: { 'content-length': String(200 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('x');
    });
    expect(status).toBe(413);
  });

  it('is open when no keys are configured', async () => {
    expect((await get('/api/keyedFunction')).status).toBe(200);
    expect((await get('/api/keyedAdmin')).status).toBe(200);
  });

  it('runs a queue-triggered function through the admin endpoint with queue metadata', async () => {
    const id = randomUUID();
    const res = await get('/admin/functions/adminQueue', { method: 'POST', body: JSON.stringify({ input: JSON.stringify({ id }) }) });
    expect(res.status).toBe(202);
    const container = BlobServiceClient.fromConnectionString(testStorage()).getContainerClient('hostapp-admin');
    const recorded = await poll(async () => {
      const blob = container.getBlobClient(`queue/${id}`);
      return (await blob.exists()) ? JSON.parse((await blob.downloadToBuffer()).toString('utf8')) : undefined;
    }, 'the queue function record');
    expect(recorded.message).toEqual({ id });
    expect(recorded.triggerMetadata).toMatchObject({ dequeueCount: 1, queueTrigger: { id } });
    expect(Object.keys(recorded.triggerMetadata).sort()).toEqual(
      ['dequeueCount', 'expirationTime', 'id', 'insertionTime', 'nextVisibleTime', 'popReceipt', 'queueTrigger', 'sys'],
    );
    expect((await get('/admin/functions/noSuchFunction', { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('runs a timer-triggered function through the admin endpoint with a TimerInfo', async () => {
    const container = BlobServiceClient.fromConnectionString(testStorage()).getContainerClient('hostapp-admin');
    const res = await get('/admin/functions/adminTimer', { method: 'POST', body: JSON.stringify({ input: '' }) });
    expect(res.status).toBe(202);
    const name = await poll(async () => {
      for await (const blob of container.listBlobsFlat({ prefix: 'timer/' })) return blob.name;
      return undefined;
    }, 'the timer function record');
    const timer = JSON.parse((await container.getBlobClient(name).downloadToBuffer()).toString('utf8'));
    expect(timer).toEqual({ schedule: { adjustForDST: true }, scheduleStatus: null, isPastDue: false });
  });

  it('writes an HTTP function queue output, one message per array element', async () => {
    const tag = randomUUID();
    const res = await get('/api/httpQueueOutput', { method: 'POST', body: JSON.stringify([1, 2, 3].map((n) => ({ tag, n }))) });
    expect(res.status).toBe(202);
    const queue = new QueueClient(testStorage(), 'hostapp-http-out');
    const received = await queue.receiveMessages({ numberOfMessages: 32 });
    const mine = received.receivedMessageItems
      .map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as { tag: string; n: number })
      .filter((m) => m.tag === tag);
    expect(mine.map((m) => m.n).sort()).toEqual([1, 2, 3]);
  });

  it('applies log hooks to user logs and filters by logging.logLevel', async () => {
    const tag = randomUUID();
    expect((await get(`/api/hookedLog?tag=${tag}`)).status).toBe(200);
    await poll(async () => (host.stderr().includes(`warn-line ${tag} [redacted]`) ? true : undefined), 'the warning log');
    expect(host.stdout()).not.toContain(`info-line ${tag}`);
    expect(host.stderr()).not.toContain(`warn-line ${tag} secret`);
    await poll(async () => (host.stderr().includes(`post-hook-warn ${tag}`) ? true : undefined), 'the post-hook log');
    expect(host.stderr()).not.toContain("Unexpected call to 'log'");
  });

  it('reports stray errors from app code and keeps serving', async () => {
    expect((await get('/api/strayErrors')).status).toBe(200);
    await poll(async () => (host.stderr().includes('stray exception') && host.stderr().includes('stray rejection') ? true : undefined), 'the stray error logs');
    expect((await get('/api/byName')).status).toBe(200);
  });

  it('finishes in-flight requests on SIGINT, runs appTerminate hooks and exits 0', async () => {
    const pending = get('/api/slow?ms=1500');
    await poll(async () => (host.stdout().includes("Executing 'Functions.slow'") ? true : undefined), 'the slow invocation');
    const exit = host.stop();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finished');
    expect(await exit).toBe(0);
    expect(host.stdout()).toContain('appTerminate hook ran; app-level hook data from appStart');
  });
});

describe('local host keys', () => {
  const master = 'master-key-for-tests';
  const functionKey = 'function-key-for-tests';
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost({
      appDir: hostApp,
      connectionString: testStorage(),
      env: { FUNCTIONS_MASTER_KEY: master, FUNCTIONS_FUNCTION_KEY: functionKey, 'AzureWebJobs.itemById.Disabled': 'true' },
    });
  });
  afterAll(() => host?.kill());

  it('enforces function and admin levels when keys are configured', async () => {
    const status = async (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<number> =>
      (await fetch(`${host.url}${path}`, { headers, method, ...(method === 'POST' ? { body: '{}' } : {}) })).status;
    const denied = await fetch(`${host.url}/api/keyedFunction`);
    expect(denied.status).toBe(401);
    expect(await denied.text()).toBe('');
    expect(await status('/api/keyedFunction', { 'x-functions-key': functionKey })).toBe(200);
    expect(await status(`/api/keyedFunction?code=${master}`)).toBe(200);
    expect(await status('/api/keyedFunction', { 'x-functions-key': 'wrong' })).toBe(401);
    expect(await status('/api/keyedAdmin', { 'x-functions-key': functionKey })).toBe(401);
    expect(await status('/api/keyedAdmin', { 'x-functions-key': master })).toBe(200);
    expect(await status('/api/byName')).toBe(200);
    expect(await status('/admin/functions/adminTimer', {}, 'POST')).toBe(401);
    expect(await status('/admin/functions/adminTimer', { 'x-functions-key': functionKey }, 'POST')).toBe(401);
  });

  it('does not route a disabled function', async () => {
    expect((await fetch(`${host.url}/api/items/42`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/items/abc`)).status).toBe(200);
  });
});

describe('local host --enableAuth', () => {
  it('generates keys, prints them once and enforces them', async () => {
    const host = await startHost({ appDir: hostApp, connectionString: testStorage(), args: ['--enableAuth'] });
    try {
      const master = /Master key: (\S+)/.exec(host.stdout())?.[1];
      const functionKey = /Function key: (\S+)/.exec(host.stdout())?.[1];
      expect(master).toBeTruthy();
      expect(functionKey).not.toBe(master);
      expect((await fetch(`${host.url}/api/keyedAdmin`)).status).toBe(401);
      expect((await fetch(`${host.url}/api/keyedAdmin`, { headers: { 'x-functions-key': master! } })).status).toBe(200);
      expect((await fetch(`${host.url}/api/keyedFunction?code=${functionKey}`)).status).toBe(200);
    } finally {
      host.kill();
    }
  });
});

describe('local host port', () => {
  it('prefers --port over PORT', async () => {
    const port = await freePort();
    const host = await startHost({ appDir: hostApp, connectionString: testStorage(), args: ['--port', String(port)], env: { PORT: '1' } });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/api/byName`)).status).toBe(200);
    } finally {
      host.kill();
    }
  });
});

describe('local host CORS', () => {
  it('answers preflight and adds allow-origin for configured origins only', async () => {
    const app = { appDir: hostApp, functions: [], invoke: () => Promise.reject(new Error('unused')), terminate: async () => undefined };
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    const server = await startHttpServer({ app, hostConfig: loadHostConfig(hostApp, {}), log, port: 0, cors: { origins: ['http://localhost:3000'], credentials: true } });
    try {
      const preflight = await fetch(`${server.url}/api/anything`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'PUT' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      expect(preflight.headers.get('access-control-allow-methods')).toBe('PUT');
      const other = await fetch(`${server.url}/api/anything`, { headers: { origin: 'http://localhost:4000' } });
      expect(other.status).toBe(404);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.stop();
    }
  });
});
