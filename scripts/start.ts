/**
 * `npm start`: runs the app locally. Unless `AzureWebJobsStorage` (environment, else
 * local.settings.json) names a real storage account, starts Azurite on `AZURITE_BLOB_PORT` /
 * `AZURITE_QUEUE_PORT` / `AZURITE_TABLE_PORT` (10000/10001/10002), in memory or, with `--persist`,
 * in `.azurite/`. Then runs `func start` when Core Tools are on the PATH, else the local host
 * (`dist/host/main.js`), on `--port`, else `PORT`, else 7071. Ctrl-C / SIGTERM stop the host, then
 * Azurite; the exit code is the host's.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { azuriteConnectionString, startAzurite, type AzuriteInstance } from './azurite.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError(`'${value}' is not a port number.`);
  return port;
}

/** `AzureWebJobsStorage` from the environment, else from local.settings.json Values. */
function configuredStorage(): string | undefined {
  if (process.env.AzureWebJobsStorage) return process.env.AzureWebJobsStorage;
  const file = path.join(repoRoot, 'local.settings.json');
  if (!fs.existsSync(file)) return undefined;
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as { Values?: Record<string, string> };
  return settings.Values?.AzureWebJobsStorage;
}

/** Whether the connection string is the development account or only names loopback endpoints. */
export function isLocalStorage(connectionString: string | undefined): boolean {
  if (!connectionString) return true;
  const parts = new Map(
    connectionString.split(';').filter(Boolean).map((p) => {
      const eq = p.indexOf('=');
      return [p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim()] as const;
    }),
  );
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') return true;
  const endpoints = ['blobendpoint', 'queueendpoint', 'tableendpoint'].map((k) => parts.get(k)).filter((v): v is string => !!v);
  return endpoints.length > 0 && endpoints.every((e) => LOOPBACK_HOSTS.has(new URL(e).hostname));
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const options = new Command()
    .name('start')
    .description('Runs the function app locally, with Azurite unless AzureWebJobsStorage names a real account.')
    .option('--persist', 'keep Azurite data in .azurite/ instead of memory')
    .option('--port <n>', 'HTTP port (default: PORT, else 7071)', parsePort)
    .parse()
    .opts<{ persist?: boolean; port?: number }>();
  const port = options.port ?? (process.env.PORT ? parsePort(process.env.PORT) : 7071);
  const configured = configuredStorage();

  let azurite: AzuriteInstance | undefined;
  let connectionString = configured ?? 'UseDevelopmentStorage=true';
  if (isLocalStorage(configured)) {
    const blobPort = parsePort(process.env.AZURITE_BLOB_PORT ?? '10000');
    const queuePort = parsePort(process.env.AZURITE_QUEUE_PORT ?? '10001');
    const tablePort = parsePort(process.env.AZURITE_TABLE_PORT ?? '10002');
    const running = await Promise.all([blobPort, queuePort, tablePort].map(portAnswers));
    if (running.every(Boolean)) {
      process.stdout.write(`Azurite already listening on ${blobPort}/${queuePort}/${tablePort}; using it.\n`);
    } else {
      const location = options.persist ? path.join(repoRoot, '.azurite') : undefined;
      if (location) fs.mkdirSync(location, { recursive: true });
      azurite = await startAzurite({ blobPort, queuePort, tablePort, detached: true, ...(location ? { location } : {}) });
      process.stdout.write(`Azurite started on ${blobPort}/${queuePort}/${tablePort} (${location ? `data in ${location}` : 'in memory'}).\n`);
    }
    if (!configured || configured.toLowerCase().startsWith('usedevelopmentstorage')) {
      connectionString = azuriteConnectionString(blobPort, queuePort, tablePort);
    }
  }

  const func = onPath('func');
  const [command, args] = func
    ? [func, ['start', '--port', String(port)]]
    : [process.execPath, [path.join(repoRoot, 'dist/host/main.js'), '--app', repoRoot, '--port', String(port)]];
  const host = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, AzureWebJobsStorage: connectionString } });

  let signalled = false;
  const forward = (signal: NodeJS.Signals): void => {
    signalled = true;
    if (host.exitCode === null && host.signalCode === null) host.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));

  const code = await new Promise<number>((resolve) => {
    host.once('error', (error) => {
      process.stderr.write(`Could not start ${command}: ${error.message}\n`);
      resolve(1);
    });
    host.once('exit', (exitCode, signal) => resolve(exitCode ?? (signalled && signal ? 0 : 1)));
  });
  await azurite?.stop();
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
