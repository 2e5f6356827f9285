/**
 * Starts Azurite (from the `azurite` package) as a child process on loopback, in memory unless a
 * data folder is given, and resolves once all three services answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

export interface AzuriteOptions {
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** Folder to persist data in; in memory when absent. */
  location?: string;
  /** Pipe Azurite's output to this process's stderr. */
  verbose?: boolean;
  /**
   * Run Azurite in its own process group, so a terminal's Ctrl-C reaches only the caller, which
   * then stops Azurite last, after everything that uses it.
   */
  detached?: boolean;
  /** Serve HTTPS with this certificate and key (PEM files), as Azure Storage does. */
  https?: { cert: string; key: string };
  /** Accept OAuth bearer tokens (`--oauth basic`: issuer, audience and lifetime checked, not the signature). Needs `https`. */
  oauth?: boolean;
}

export interface AzuriteInstance {
  blobPort: number;
  queuePort: number;
  tablePort: number;
  connectionString: string;
  stop(): Promise<void>;
}

const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The connection string of the Azurite development account at the given ports on loopback. */
export function azuriteConnectionString(blobPort: number, queuePort: number, tablePort: number, protocol: 'http' | 'https' = 'http'): string {
  return [
    `DefaultEndpointsProtocol=${protocol}`,
    `AccountName=${ACCOUNT}`,
    `AccountKey=${KEY}`,
    `BlobEndpoint=${protocol}://127.0.0.1:${blobPort}/${ACCOUNT}`,
    `QueueEndpoint=${protocol}://127.0.0.1:${queuePort}/${ACCOUNT}`,
    `TableEndpoint=${protocol}://127.0.0.1:${tablePort}/${ACCOUNT}`,
  ].join(';');
}

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function waitForPort(port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`Azurite did not listen on port ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteInstance> {
  const blobPort = options.blobPort ?? (await freePort());
  const queuePort = options.queuePort ?? (await freePort());
  const tablePort = options.tablePort ?? (await freePort());
  const require = createRequire(import.meta.url);
  const entry = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist/src/azurite.js');
  const args = [
    entry,
    '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
    '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
    '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
    '--skipApiVersionCheck', '--disableTelemetry', '--loose',
    // Azurite closes idle keep-alive connections after 5 s, and a client reusing one just then gets
    // "socket hang up"; Azure Storage keeps them open for minutes.
    '--blobKeepAliveTimeout', '130', '--queueKeepAliveTimeout', '130', '--tableKeepAliveTimeout', '130',
  ];
  if (options.https) args.push('--cert', options.https.cert, '--key', options.https.key);
  if (options.oauth) args.push('--oauth', 'basic');
  if (options.location) args.push('--location', options.location);
  else args.push('--inMemoryPersistence');
  if (!options.verbose) args.push('--silent');
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', options.verbose ? 'inherit' : 'ignore', 'inherit'],
    detached: options.detached ?? false,
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const deadline = Date.now() + 30_000;
  try {
    await Promise.race([
      Promise.all([waitForPort(blobPort, deadline), waitForPort(queuePort, deadline), waitForPort(tablePort, deadline)]),
      exit.then(() => { throw new Error('Azurite exited during start-up'); }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    blobPort,
    queuePort,
    tablePort,
    connectionString: azuriteConnectionString(blobPort, queuePort, tablePort, options.https ? 'https' : 'http'),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
