/**
 * The HTTP side of the local host: a node:http server on loopback that routes requests to HTTP
 * triggered functions (functions-host.md §4, §5), enforces keys when configured, answers CORS and
 * runs non-HTTP functions through `POST /admin/functions/{name}`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { HostConfig } from '../core/hostConfig.js';
import type { LoadedApp } from '../core/loadApp.js';
import type { HostLog } from '../core/log.js';
import type { RegisteredFunction } from '../core/types.js';
import { compareOrdinalIgnoreCase } from '../../shared/http/compareOrdinalIgnoreCase.js';
import { compileRouteTemplate, type CompiledRoute } from '../../shared/http/routeTemplate.js';
import { corsHeaders, type CorsConfig } from './corsHeaders.js';
import { isAuthorized, type AuthLevel, type HostKeys } from './hostKeys.js';
import { toAdminInvocation } from './toAdminInvocation.js';
import { toRpcHttpInput } from './toRpcHttpInput.js';
import { writeRpcHttpResponse } from './writeRpcHttpResponse.js';

/** Request bodies above this size are refused with 413. */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;

export interface HttpRoute {
  fn: RegisteredFunction;
  /** Path template including the route prefix, e.g. `api/items/{id:int}`. */
  path: string;
  /** Upper-case methods; null = any. */
  methods: string[] | null;
  authLevel: AuthLevel;
  compiled: CompiledRoute;
}

export interface HttpServer {
  port: number;
  url: string;
  routes: HttpRoute[];
  /** Stops accepting connections and resolves once in-flight requests and admin invocations finished. */
  stop(): Promise<void>;
}

export interface StartHttpServerOptions {
  app: LoadedApp;
  hostConfig: HostConfig;
  log: HostLog;
  port: number;
  keys?: HostKeys | undefined;
  cors?: CorsConfig | undefined;
}


/**
 * The HTTP routes of the app's HTTP triggered functions in the order the Functions host maps them:
 * by function name (ordinal, ignoring case); the first matching route wins.
 */
export function buildHttpRoutes(functions: RegisteredFunction[], routePrefix: string): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of [...functions].sort((a, b) => compareOrdinalIgnoreCase(a.name, b.name))) {
    const binding = fn.trigger.binding;
    if ((binding.type ?? '').toLowerCase() !== 'httptrigger') continue;
    const route = typeof binding.route === 'string' && binding.route.trim() !== '' ? binding.route.trim() : fn.name;
    const path = [routePrefix, route.replace(/^\/+/, '')].filter(Boolean).join('/');
    const methods = Array.isArray(binding.methods) && binding.methods.length > 0 ? binding.methods.map((m) => String(m).toUpperCase()) : null;
    const level = (typeof binding.authLevel === 'string' ? binding.authLevel : 'function').toLowerCase();
    const authLevel: AuthLevel = level === 'anonymous' || level === 'admin' ? level : 'function';
    try {
      routes.push({ fn, path, methods, authLevel, compiled: compileRouteTemplate(path) });
    } catch (error) {
      throw new Error(`Function "${fn.name}" has an invalid route "${route}": ${(error as Error).message}`, { cause: error });
    }
  }
  return routes;
}

class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(new PayloadTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string> = {}, body?: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, ...(body === undefined ? { 'content-length': '0' } : { 'content-type': 'application/json; charset=utf-8' }) });
  res.end(body);
}

/** Starts listening on 127.0.0.1:`port` (0 = any free port). */
export async function startHttpServer(opts: StartHttpServerOptions): Promise<HttpServer> {
  const { app, hostConfig, log, keys, cors } = opts;
  const routes = buildHttpRoutes(app.functions, hostConfig.routePrefix);
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.catch(() => undefined).finally(() => inFlight.delete(work));
    return work;
  };
  let port = opts.port;

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, name: string, extra: Record<string, string>): Promise<void> {
    if (!isAuthorized(keys, 'admin', req, url)) return send(res, 401, extra);
    const fn = app.functions.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!fn) return send(res, 404, extra);
    if ((fn.trigger.binding.type ?? '').toLowerCase() === 'httptrigger') {
      return send(res, 400, extra, JSON.stringify({ error: `Function "${fn.name}" is HTTP triggered; call its route instead.` }));
    }
    const body = await readBody(req);
    let input = '';
    if (body.length > 0) {
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { input?: unknown };
        input = typeof parsed.input === 'string' ? parsed.input : parsed.input === undefined || parsed.input === null ? '' : JSON.stringify(parsed.input);
      } catch {
        return send(res, 400, extra, JSON.stringify({ error: 'The body must be JSON: {"input": "..."}.' }));
      }
    }
    track(app.invoke(fn, toAdminInvocation(fn, input))).catch(() => undefined /* logged by invoke */);
    send(res, 202, extra);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `127.0.0.1:${port}`}`);
    const extra = corsHeaders(cors, req);
    if (cors && req.method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
      return send(res, 204, extra);
    }
    const path = url.pathname.replace(/^\/+/, '');
    const admin = /^admin\/functions\/([^/]+)\/?$/i.exec(path);
    if (admin) {
      if (req.method !== 'POST') return send(res, 405, { ...extra, allow: 'POST' });
      return handleAdmin(req, res, url, decodeURIComponent(admin[1] as string), extra);
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let matched: { route: HttpRoute; params: Record<string, string> } | undefined;
    for (const route of routes) {
      if (route.methods && !route.methods.includes(method)) continue;
      const params = route.compiled.match(path);
      if (params) {
        matched = { route, params };
        break;
      }
    }
    if (!matched) return send(res, 404, extra);
    if (!isAuthorized(keys, matched.route.authLevel, req, url)) return send(res, 401, extra);
    const body = await readBody(req);
    const { fn } = matched.route;
    const input = toRpcHttpInput(req, url, matched.params, body);
    const { response } = await app.invoke(fn, { inputData: [{ name: fn.trigger.name, data: input }], triggerMetadata: {} });
    const httpOutput = Object.entries(fn.metadata.bindings).find(([, b]) => b.direction === 'out' && (b.type ?? '').toLowerCase() === 'http');
    const result = !httpOutput
      ? undefined
      : httpOutput[0] === '$return'
        ? response.returnValue
        : response.outputData?.find((o) => o.name === httpOutput[0])?.data;
    writeRpcHttpResponse(res, result, extra);
  }

  const server = http.createServer((req, res) => {
    void track(
      handle(req, res).catch((error: unknown) => {
        if (error instanceof PayloadTooLargeError) return send(res, 413, { connection: 'close' });
        log.debug(`Request ${req.method} ${req.url} failed: ${(error as Error)?.message ?? String(error)}`);
        send(res, 500);
      }),
    );
  });
  // As the Functions host's Kestrel: an idle keep-alive connection stays open 130 s, so a client
  // reusing it after a pause does not race the server closing it.
  server.keepAliveTimeout = 130_000;
  server.headersTimeout = 131_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : opts.port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    routes,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      server.closeIdleConnections();
      await closed;
    },
  };
}
