/**
 * A loopback proxy in front of an Azurite: one listener per service (blob, queue, table) forwarding
 * each request, with a hook that decides what happens to it first (forward, answer with an error,
 * reset the connection, or forward and lose the answer) and one told of every answer storage gave.
 * The fault-injecting storage of the tests and the bench's transaction counter are built on it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { azuriteConnectionString } from './azurite.js';

export type StorageService = 'blob' | 'queue' | 'table';

/** What the proxy knows of a request when it decides. */
export interface ProxiedRequest {
  service: StorageService;
  method: string;
  /** Path and query, as sent. */
  url: string;
}

/** What happens to a request: forwarded (and its answer passed on, or lost: a 500 instead), an error answer, or a reset. */
export type ProxyVerdict = { kind: 'forward'; loseAnswer?: boolean } | { kind: 'error'; status: number; code: string } | { kind: 'reset' };

export interface StorageProxyOptions {
  /** Ports of the Azurite behind the proxy. */
  target: { blobPort: number; queuePort: number; tablePort: number };
  /** Decides each request (default: forward); may wait, holding the request meanwhile. */
  decide?: (request: ProxiedRequest) => ProxyVerdict | Promise<ProxyVerdict>;
  /** Told of each answer storage gave, with its body when `wantsBody` says so for the request. */
  answered?: (request: ProxiedRequest, status: number, body: Buffer | undefined) => void;
  wantsBody?: (request: ProxiedRequest) => boolean;
}

export interface StorageProxy {
  /** Azurite's connection string with the proxy's endpoints. */
  connectionString: string;
  close(): Promise<void>;
}

const FORWARD: ProxyVerdict = { kind: 'forward' };

function errorBody(service: StorageService, code: string, message: string): { type: string; body: string } {
  if (service === 'table') return { type: 'application/json', body: JSON.stringify({ 'odata.error': { code, message: { lang: 'en-US', value: message } } }) };
  return { type: 'application/xml', body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>` };
}

function sendError(res: http.ServerResponse, service: StorageService, status: number, code: string): void {
  const { type, body } = errorBody(service, code, `Injected fault: ${code}.`);
  res.writeHead(status, { 'content-type': type, 'x-ms-error-code': code, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startStorageProxy(options: StorageProxyOptions): Promise<StorageProxy> {
  const agent = new http.Agent({ keepAlive: true });

  function forward(req: http.IncomingMessage, res: http.ServerResponse, request: ProxiedRequest, targetPort: number, loseAnswer: boolean): void {
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      const status = answer.statusCode ?? 502;
      const chunks: Buffer[] | undefined = options.answered && options.wantsBody?.(request) ? [] : undefined;
      if (chunks) answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.once('end', () => options.answered?.(request, status, chunks ? Buffer.concat(chunks) : undefined));
      if (loseAnswer) {
        answer.resume();
        answer.once('end', () => sendError(res, request.service, 500, 'InternalError'));
        return;
      }
      res.writeHead(status, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  }

  function listener(service: StorageService, targetPort: number): http.Server {
    return http.createServer((req, res) => {
      const request: ProxiedRequest = { service, method: req.method ?? 'GET', url: req.url ?? '/' };
      const act = (verdict: ProxyVerdict): void => {
        if (verdict.kind === 'reset') {
          req.socket.destroy();
        } else if (verdict.kind === 'error') {
          req.resume();
          req.once('end', () => sendError(res, service, verdict.status, verdict.code));
        } else {
          forward(req, res, request, targetPort, verdict.loseAnswer === true);
        }
      };
      const verdict = options.decide?.(request) ?? FORWARD;
      if (verdict instanceof Promise) void verdict.then(act, () => req.socket.destroy());
      else act(verdict);
    });
  }

  const servers = [listener('blob', options.target.blobPort), listener('queue', options.target.queuePort), listener('table', options.target.tablePort)];
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve) => {
          server.keepAliveTimeout = 130_000;
          server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
        }),
    ),
  );
  const [blobPort, queuePort, tablePort] = ports as [number, number, number];
  return {
    connectionString: azuriteConnectionString(blobPort, queuePort, tablePort),
    async close() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
      agent.destroy();
    },
  };
}
