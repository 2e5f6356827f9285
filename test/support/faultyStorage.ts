/**
 * A fault-injecting proxy in front of a test's Azurite: one loopback listener per service (blob,
 * queue, table) forwarding to Azurite, answering a given fraction of requests with a fault instead —
 * 503 ServerBusy or 500 InternalError before the request reaches storage, a reset connection, or a
 * 500 after storage carried the request out (the answer is lost, the effect is not) — and able to
 * pause storage for a while (requests arriving meanwhile wait, then go through). The app under test
 * gets the proxy's connection string; the test itself reads storage directly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { azuriteConnectionString } from '../../scripts/azurite.js';
import type { Random } from '../../host/faults/seededRandom.js';

export type StorageFault = 'serverBusy' | 'internalError' | 'reset' | 'lostAnswer';

export const STORAGE_FAULTS: readonly StorageFault[] = ['serverBusy', 'internalError', 'reset', 'lostAnswer'];

export interface FaultyStorageOptions {
  /** Ports of the Azurite behind the proxy. */
  target: { blobPort: number; queuePort: number; tablePort: number };
  /** Fraction of requests answered with a fault (0 = none). */
  faultRate: number;
  /** The faults to choose from, uniformly (default all). */
  faults?: readonly StorageFault[];
  random: Random;
}

export interface FaultyStorage {
  /** Azurite's connection string with the proxy's endpoints. */
  connectionString: string;
  /** Changes the fault rate from now on. */
  setFaultRate(rate: number): void;
  /** Answers the next request with `fault`, whatever the rate. */
  failNext(fault: StorageFault): void;
  /** Holds every request for `ms`, then lets them through; resolves when the pause is over. */
  pause(ms: number): Promise<void>;
  /** Requests seen and faults injected, by kind. */
  counts(): { requests: number; paused: number } & Record<StorageFault, number>;
  close(): Promise<void>;
}

type Service = 'blob' | 'queue' | 'table';

function errorBody(service: Service, code: string, message: string): { type: string; body: string } {
  if (service === 'table') return { type: 'application/json', body: JSON.stringify({ 'odata.error': { code, message: { lang: 'en-US', value: message } } }) };
  return { type: 'application/xml', body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>` };
}

function sendError(res: http.ServerResponse, service: Service, status: number, code: string): void {
  const { type, body } = errorBody(service, code, `Injected fault: ${code}.`);
  res.writeHead(status, { 'content-type': type, 'x-ms-error-code': code, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startFaultyStorage(options: FaultyStorageOptions): Promise<FaultyStorage> {
  const agent = new http.Agent({ keepAlive: true });
  const choices = options.faults ?? STORAGE_FAULTS;
  let faultRate = options.faultRate;
  let pausedUntil: Promise<void> | undefined;
  let next: StorageFault | undefined;
  const tally = { requests: 0, paused: 0, serverBusy: 0, internalError: 0, reset: 0, lostAnswer: 0 };

  const chooseFault = (): StorageFault | undefined => {
    if (next) {
      const chosen = next;
      next = undefined;
      return chosen;
    }
    if (faultRate <= 0 || options.random() >= faultRate) return undefined;
    return choices[Math.floor(options.random() * choices.length)];
  };

  function forward(req: http.IncomingMessage, targetPort: number, answer: (upstream: http.IncomingMessage) => void, fail: (error: Error) => void): void {
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent },
      answer,
    );
    upstream.on('error', fail);
    req.pipe(upstream);
  }

  function listener(service: Service, targetPort: number): http.Server {
    return http.createServer((req, res) => {
      tally.requests++;
      const run = (): void => {
        const fault = chooseFault();
        if (fault) tally[fault]++;
        if (fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault === 'serverBusy' || fault === 'internalError') {
          req.resume();
          req.once('end', () => sendError(res, service, fault === 'serverBusy' ? 503 : 500, fault === 'serverBusy' ? 'ServerBusy' : 'InternalError'));
          return;
        }
        forward(
          req,
          targetPort,
          (upstream) => {
            if (fault === 'lostAnswer') {
              upstream.resume();
              upstream.once('end', () => sendError(res, service, 500, 'InternalError'));
              return;
            }
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
          },
          () => req.socket.destroy(),
        );
      };
      if (pausedUntil) {
        tally.paused++;
        void pausedUntil.then(run);
      } else run();
    });
  }

  const servers = {
    blob: listener('blob', options.target.blobPort),
    queue: listener('queue', options.target.queuePort),
    table: listener('table', options.target.tablePort),
  };
  const ports = await Promise.all(
    Object.values(servers).map(
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
    setFaultRate(rate) {
      faultRate = rate;
    },
    failNext(fault) {
      next = fault;
    },
    async pause(ms) {
      const over = new Promise<void>((resolve) => setTimeout(resolve, ms));
      pausedUntil = over;
      await over;
      pausedUntil = undefined;
    },
    counts: () => ({ ...tally }),
    async close() {
      await Promise.all(
        Object.values(servers).map(
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
