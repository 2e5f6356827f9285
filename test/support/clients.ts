/**
 * Test support: the official clients pointed at a local host (function key instead of a bearer
 * token), and the local host itself started on a free port against the test run's Azurite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePort } from '../../scripts/azurite.js';

/** The repository root (where package.json and dist/ live). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export { createClients, functionKeyPolicy, type Clients } from '../../scripts/armClients.js';

/** A running local host. */
export interface Service {
  port: number;
  /** `http://127.0.0.1:<port>/api`. */
  baseUrl: string;
  functionKey: string;
  masterKey: string;
  connectionString: string;
  /** The host's recent output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
  /** Kills the host at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

/** Options of `startService`. */
export interface StartServiceOptions {
  /** Storage for the host (default: the test run's Azurite). */
  connectionString?: string;
  /** Port and keys to use (default: a free port, new keys) — e.g. to restart a host in place. */
  port?: number;
  functionKey?: string;
  masterKey?: string;
  /** Extra environment for the host. */
  env?: Record<string, string>;
  /** How long to wait for `Host started` (default 30 s). */
  timeoutMs?: number;
}

/**
 * Starts the compiled app on the local host (`node dist/host/main.js --app <root>`; it builds
 * nothing) on a free port, with keys enforced, and resolves once it prints `Host started`.
 */
export async function startService(options: StartServiceOptions = {}): Promise<Service> {
  const port = options.port ?? (await freePort());
  const connectionString = options.connectionString ?? inject('storageConnectionString');
  const functionKey = options.functionKey ?? randomBytes(24).toString('base64url');
  const masterKey = options.masterKey ?? randomBytes(24).toString('base64url');
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'dist/host/main.js'), '--app', repoRoot, '--port', String(port)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      AzureWebJobsStorage: connectionString,
      FUNCTIONS_FUNCTION_KEY: functionKey,
      FUNCTIONS_MASTER_KEY: masterKey,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The host did not start within ${options.timeoutMs ?? 30_000} ms:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (): void => {
      if (output.includes('Host started')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The host exited during start-up:\n${output}`));
    });
  });

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}/api`,
    functionKey,
    masterKey,
    connectionString,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
