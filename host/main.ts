/**
 * The local Functions host, standing in for `func start`:
 * `node dist/host/main.js [--app <dir>] [--port <n>] [--enableAuth]`.
 * Loads local.settings.json and host.json, the app, then serves HTTP and runs queue listeners and
 * timers; prints `Functions:` with one line per function and `Host started` once listening (plain
 * text; log lines are text on a terminal and JSON lines otherwise, `LOCAL_HOST_LOG_FORMAT`). On
 * SIGINT/SIGTERM it stops taking new work, finishes in-flight invocations, runs `appTerminate`
 * hooks and exits 0.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadHostConfig } from './core/hostConfig.js';
import { loadApp } from './core/loadApp.js';
import { loadLocalSettings } from './core/loadLocalSettings.js';
import { createHostLog } from './core/log.js';
import { resolveLogFormat } from './core/logFormat.js';
import { selectFunctions } from './core/selectFunctions.js';
import { computeHostId } from './core/settings.js';
import { configuredKeys } from './http/hostKeys.js';
import { parseCors } from './http/corsHeaders.js';
import { startHttpServer } from './http/startHttpServer.js';
import { startQueueListeners } from './queue/startQueueListeners.js';
import { startTimers } from './timer/startTimers.js';
import { describeFaults, readFaultSettings, type FaultSettings } from './faults/faultSettings.js';
import { injectFaults } from './faults/injectFaults.js';

/**
 * The Functions host leases a received message for 10 minutes, so after a crash its message
 * reappears 10 minutes later. `LOCAL_HOST_QUEUE_LEASE_SECONDS` shortens that lease on this local
 * host only (for crash drills and tests); running invocations renew it every half lease.
 */
function queueLeaseOverride(env: NodeJS.ProcessEnv): { visibilityLeaseMs?: number } {
  const raw = env.LOCAL_HOST_QUEUE_LEASE_SECONDS;
  if (!raw) return {};
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 2 || seconds > 600) throw new RangeError('LOCAL_HOST_QUEUE_LEASE_SECONDS must be between 2 and 600.');
  return { visibilityLeaseMs: seconds * 1000 };
}

/** Queue-listener options of the fault settings: a duplicate delivery starts up to 250 ms after the first. */
function duplicateDelivery(faults: FaultSettings | undefined): { duplicateDeliveryDelayMs?: () => number } {
  return faults?.duplicateDelivery ? { duplicateDeliveryDelayMs: () => Math.floor(faults.random() * 250) } : {};
}

const DEFAULT_PORT = 7071;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('Not a port number.');
  return port;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('host')
    .description('Runs an Azure Functions Node app locally (HTTP, storage queue and timer triggers).')
    .option('--app <dir>', 'the function app directory', process.cwd())
    .option('--port <n>', 'HTTP port (default: PORT, else Host.LocalHttpPort, else 7071)', parsePort)
    .option('--enableAuth', 'enforce function keys, generating the missing ones')
    .parse();
  const options = program.opts<{ app: string; port?: number; enableAuth?: boolean }>();
  const appDir = path.resolve(options.app);
  const env = process.env;

  const hostSettings = loadLocalSettings(appDir, env);
  env.AZURE_FUNCTIONS_ENVIRONMENT ??= 'Development';
  const hostConfig = loadHostConfig(appDir, env);
  const log = createHostLog(hostConfig.logLevel, resolveLogFormat(env.LOCAL_HOST_LOG_FORMAT, process.stdout.isTTY === true));
  const port = options.port ?? (env.PORT ? parsePort(env.PORT) : undefined) ?? hostSettings.LocalHttpPort ?? DEFAULT_PORT;

  const faults = readFaultSettings(env);
  const loaded = selectFunctions(await loadApp(appDir, { hostConfig, log }), hostConfig, log, env);
  const app = faults ? { ...loaded, invoke: injectFaults(loaded.invoke, faults) } : loaded;
  const keys = configuredKeys(env, options.enableAuth === true);
  const http = await startHttpServer({ app, hostConfig, log, port, keys, cors: parseCors(hostSettings.CORS, hostSettings.CORSCredentials) });
  // As Core Tools does: the app can tell its own address (the Functions host in Azure sets it too).
  env.WEBSITE_HOSTNAME ??= new URL(http.url).host;
  const queues = startQueueListeners({ app, hostConfig, log, env, ...queueLeaseOverride(env), ...duplicateDelivery(faults) });
  const timers = startTimers({ app, hostConfig, hostId: computeHostId(appDir, env), log, env });

  const lines = ['', 'Functions:', ''];
  for (const fn of app.functions) {
    const route = http.routes.find((r) => r.fn === fn);
    if (route) lines.push(`\t${fn.name}: [${(route.methods ?? ['ALL']).join(',')}] ${http.url}/${route.path}`);
    else lines.push(`\t${fn.name}: ${fn.trigger.binding.type}`);
  }
  if (keys?.generated) lines.push('', `Master key: ${keys.master}`, `Function key: ${keys.function}`);
  if (faults) lines.push('', describeFaults(faults));
  process.stdout.write(`${lines.join('\n')}\n\n`);
  process.stdout.write('Host started\n');

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: stopping.`);
    const results = await Promise.allSettled([http.stop(), queues.stop(), timers.stop()]);
    for (const r of results) if (r.status === 'rejected') log.error(`Stopping failed: ${String(r.reason)}`);
    try {
      await app.terminate();
    } catch (error) {
      log.error(`An appTerminate hook failed: ${(error as Error)?.message ?? String(error)}`);
    }
    log.info('Host stopped.');
    process.exit(0);
  };
  // The worker reports stray errors from app code and the Functions host restarts it; a local host
  // that cannot restart itself reports them and keeps serving.
  process.on('uncaughtException', (error) => log.error(`Uncaught exception in the app: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => log.error(`Unhandled promise rejection in the app: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  // Kept after the first signal: a repeated Ctrl-C (terminal and `npm start` both send one) must not kill the drain.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Host start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
